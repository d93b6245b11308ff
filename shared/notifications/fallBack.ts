import type { DateTime } from 'luxon';
import type { EventPublisher } from '../events/EventPublisher.js';
import type { VigilEvent } from '../events/vigilEvent.js';
import { channelLabel } from './OutboxMessage.js';
import type { OutboxQueue, OutboxStore, ReportLedger } from './OutboxPorts.js';
import { planFallback, toFallbackMessages, type FailedMessage } from './planFallback.js';
import type { NotificationState } from './NotificationState.js';
import type { RoutesConfig } from './routesConfig.js';
import { openDeliveryFinding } from './trackDeliveryFinding.js';

export interface FallbackDeps {
  config: RoutesConfig;
  mailEnabled: boolean;
  outbox: OutboxStore;
  queue: OutboxQueue;
  ledger: ReportLedger;
  /** The audit trail (`VigilEvents`): a report is kept there like every event. */
  eventLog: EventPublisher;
  newId: () => string;
  /** A channel's failure is opened here as a finding on the default route (see trackDeliveryFinding). */
  state: NotificationState;
  /** How long a report without items of its own holds back the next with the same dedupe key (0: never). */
  reportEveryMs: number;
}

/**
 * Reports a failed delivery (or parked messages) on the default route's other people channels and hands
 * them the items that could not be delivered (see planFallback). `report` builds the event once the
 * stand-ins are known, so it can say where the items went. A report with no items of its own is sent
 * once per `reportEveryMs` and dedupe key, so one broken channel does not report itself per message.
 * A failing channel's report also opens its finding on the default route, so it is reminded of, can be
 * snoozed, and closes with `delivery.recovered` once the channel delivers again.
 * Returns the labels of the channels that were given something (empty: none, or reported recently).
 */
export async function fallBack(
  failed: FailedMessage,
  report: (carriedTo: readonly string[]) => VigilEvent,
  deps: FallbackDeps,
  now: DateTime,
): Promise<string[]> {
  const plan = planFallback(failed, deps.config, deps.mailEnabled);
  const labels = plan.targets.map(channelLabel);
  const event = report(plan.items.length > 0 ? labels : []);
  await deps.eventLog.publish([event]);
  if (plan.targets.length === 0) return [];
  if (plan.items.length === 0 && deps.reportEveryMs > 0 && !(await deps.ledger.firstSince(event.dedupeKey, now, deps.reportEveryMs)))
    return [];
  const messages = toFallbackMessages(failed, plan, event, now, deps.newId);
  // Stand-ins saved by an earlier run of this fallback are kept, not saved again, so nothing is sent twice;
  // a ticket for each is queued all the same (a ticket for a delivered stand-in sends nothing).
  await deps.outbox.saveNew(messages);
  await Promise.all(messages.map((m) => deps.queue.enqueue({ id: m.id, attempt: 1 })));
  // A channel's failure stays open until it delivers again; an unreadable row or a poison queue is a one-off report.
  if (event.type === 'delivery.failed' && failed.channel) await openDeliveryFinding(deps.state, event, plan.route, now);
  return labels;
}
