import type { DateTime } from 'luxon';
import type { OutboxStore } from './OutboxPorts.js';

/**
 * How long a delivered message stays in the outbox: a fallback stand-in is kept as its record so a fallback
 * that runs again (storage lost the record that it ran) finds it and sends nothing twice. That can happen
 * while the message it stands in for is still tried, at most VIGIL_DELIVERY_DEADLINE_HOURS (≤ 168 h) from
 * its creation; a day more covers the poison-queue watcher's report of a ticket the host gave up on.
 */
const deliveredKeepMs = 8 * 24 * 3_600_000;

/** Removed per run at most: a backlog (a long outage's stand-ins) goes over the next runs. */
const sweptPerRun = 500;

/** Removes delivered messages older than `deliveredKeepMs`, so kept stand-ins do not stay in `VigilOutbox` for good. */
export async function sweepOutbox(outbox: OutboxStore, now: DateTime): Promise<number> {
  return outbox.removeDelivered(now.minus(deliveredKeepMs), sweptPerRun);
}
