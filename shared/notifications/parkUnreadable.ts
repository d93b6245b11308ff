import type { DateTime } from 'luxon';
import { bestEffort } from './bestEffort.js';
import { fallBack } from './fallBack.js';
import type { OutboxTicket } from './OutboxMessage.js';
import type { DeliveryDeps } from './processOutboxTicket.js';
import type { TicketResult } from './TicketResult.js';
import { warningsOf } from './bestEffort.js';
import { toDeliveryFailedEvent } from './toDeliveryFailedEvent.js';

/** The key of what Vigil parks after reporting it unreadable: `{ "vigilReportedUnreadable": <the message> }`. */
export const reportedUnreadableKey = 'vigilReportedUnreadable';

/** What is known of something that cannot be read: the ticket (when it parsed), and the route and channel (when they can be told). */
export interface Unreadable {
  ticket?: OutboxTicket;
  route?: string;
  channel?: string;
  reason: string;
  /** Reported when it was parked before (a replay): parked again without another report. */
  reportedBefore: boolean;
}

/**
 * An outbox row or ticket that does not parse cannot be sent, and retrying will not change that: it is
 * reported on the default route's people channels (every time: each is its own lost notice), parked in
 * the poison queue with what it said, and its row marked parked, instead of throwing into the host's
 * retries and landing in the poison queue unreported.
 */
export async function parkUnreadable(unreadable: Unreadable, raw: unknown, deps: DeliveryDeps, now: DateTime): Promise<TicketResult> {
  const reported = await reportUnreadable(unreadable, deps, now);
  // A ticket whose row is unreadable is parked as it came (the watcher finds its row marked parked); a
  // message that is no ticket at all is marked as reported, so the watcher does not report it again.
  await deps.queue.poison(unreadable.ticket ? raw : { [reportedUnreadableKey]: raw });
  return { kind: 'poisoned', channel: 'unknown', ...reported };
}

/** Reports an unreadable outbox row or ticket (unless it was before) and marks its row parked. */
export async function reportUnreadable(unreadable: Unreadable, deps: DeliveryDeps, now: DateTime) {
  const route = unreadable.route ?? 'unknown';
  const label = unreadable.channel ?? 'unknown';
  const what = unreadable.ticket ? `outbox message ${unreadable.ticket.id}` : 'an outbox ticket';
  const detail = `${what} is unreadable: ${unreadable.reason}`;
  const report = (fellBackTo: readonly string[]) =>
    toDeliveryFailedEvent(
      {
        failure: 'unreadable',
        route,
        channel: label,
        attempts: unreadable.ticket?.attempt ?? 1,
        reason: detail,
        what: 'a notification',
        fellBackTo,
      },
      deps.homeTenantId,
      now,
    );
  const fellBackTo = unreadable.reportedBefore
    ? []
    : await fallBack({ route, channel: undefined, items: [] }, report, { ...deps, reportEveryMs: 0 }, now);
  const id = unreadable.ticket?.id;
  const warnings = id ? [await bestEffort('mark the outbox row parked', () => deps.outbox.markUnreadable(id, unreadable.reason, now))] : [];
  return { route, label, detail, fellBackTo, warnings: warningsOf(warnings) };
}
