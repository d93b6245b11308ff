import type { DateTime } from 'luxon';
import { bestEffort } from './bestEffort.js';
import type { DeliveryAttempt } from './deliverOutboxMessage.js';
import { fallBack } from './fallBack.js';
import { channelLabel, type OutboxMessage, type OutboxTicket } from './OutboxMessage.js';
import type { Claim, DeliveryLogEntry, DeliveryRecord } from './OutboxPorts.js';
import type { DeliveryDeps } from './processOutboxTicket.js';
import { fingerprintOf } from './fingerprintOf.js';
import { retryDelay } from './retryDelay.js';
import { outcomeOf, type TicketResult } from './TicketResult.js';
import { toDeliveryFailedEvent, type DeliveryFailure } from './toDeliveryFailedEvent.js';
import { toDeliveryLogEntry } from './toDeliveryLogEntry.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

export type FailedAttempt = Exclude<DeliveryAttempt, { kind: 'delivered' | 'notConfigured' }>;

/**
 * After a failed attempt: retry with a new ticket until the deadline (backoff, or exactly the Retry-After,
 * never past the deadline), and once the channel has kept failing for `fallbackAfterMs` (at once when
 * retrying cannot help) report it on the default route's other channels with the items it could not
 * deliver. Past the deadline, or on a permanent failure, the ticket is parked in the poison queue.
 * The next ticket is queued before the row is updated: if that update fails, the ticket only waits for
 * the claim to lapse; it is never lost.
 */
export async function afterFailedAttempt(
  ticket: OutboxTicket,
  claimed: { message: OutboxMessage; record: Exclude<DeliveryRecord, { status: 'delivered' }>; claim: Claim },
  failed: FailedAttempt,
  deps: DeliveryDeps,
  now: DateTime,
): Promise<TicketResult> {
  const { message, record, claim } = claimed;
  const { policy } = deps;
  const iso = toIsoUtc(now);
  const failingSince = (record.status === 'pending' && record.failingSince) || iso;
  const deadline = Date.parse(message.createdAt) + (isInformational(message) ? policy.infoDeadlineMs : policy.deadlineMs);
  const retryable = failed.kind === 'retryAfter' || (failed.kind === 'failed' && !failed.permanent);
  const giveUp = !retryable || now.toMillis() >= deadline;
  const failure: DeliveryFailure = failed.kind === 'gone' ? 'gone' : !retryable ? 'rejected' : giveUp ? 'gaveUp' : 'failing';
  if (failed.kind === 'gone')
    await deps.endpoints.disable(channelLabel(message.channel), fingerprintOf(message, deps.config), failed.reason, iso);

  const keptFailing = now.toMillis() - Date.parse(failingSince) >= policy.fallbackAfterMs;
  const due = !message.fallbackFor && !record.fellBackAt && (giveUp || keptFailing);
  const fellBackTo = due ? await fallBackFrom(message, ticket, failure, failed.reason, deps, now) : [];
  const fellBackAt = record.fellBackAt ?? (due ? iso : undefined);
  const since = fellBackAt ? { fellBackAt } : {};
  const fallbackLog = due
    ? [toDeliveryLogEntry(message, ticket, now, 'fallback', fallbackDetail(fellBackTo, deps.config.defaultRoute))]
    : [];

  if (!giveUp) {
    const asked = failed.kind === 'retryAfter' ? failed.ms : undefined;
    const delay = Math.min(retryDelay(ticket.attempt, asked, policy.backoff, deps.random), deadline - now.toMillis());
    await deps.queue.enqueue({ id: message.id, attempt: ticket.attempt + 1 }, delay);
    const warnings = await settleAndLog(claim, { status: 'pending', nextAttempt: ticket.attempt + 1, failingSince, ...since }, deps, [
      toDeliveryLogEntry(message, ticket, now, 'retrying', failed.reason, delay),
      ...fallbackLog,
    ]);
    return outcomeOf(message, 'retrying', failed.reason, { retryInMs: delay, fellBackTo, warnings });
  }
  await deps.queue.poison(ticket);
  const why = failure === 'gone' ? `${failed.reason}; endpoint disabled` : `${failed.reason} (after ${ticket.attempt} attempt(s))`;
  const parked: DeliveryRecord = { status: 'parked', at: iso, nextAttempt: ticket.attempt, reason: failed.reason, ...since };
  const warnings = await settleAndLog(claim, parked, deps, [...fallbackLog, toDeliveryLogEntry(message, ticket, now, 'poisoned', why)]);
  return outcomeOf(message, 'poisoned', why, { fellBackTo, warnings });
}

/** Reports `message`'s failure on the default route, with its items (see fallBack). */
export function fallBackFrom(
  message: OutboxMessage,
  ticket: OutboxTicket,
  failure: DeliveryFailure,
  reason: string,
  deps: DeliveryDeps,
  now: DateTime,
) {
  const what = `${message.items.length} notification(s) (${[...new Set(message.items.map((i) => i.event.type))].join(', ')})`;
  const channel = channelLabel(message.channel);
  return fallBack(
    message,
    (fellBackTo) =>
      toDeliveryFailedEvent(
        { failure, route: message.route, channel, attempts: ticket.attempt, reason, what, fellBackTo },
        deps.homeTenantId,
        now,
      ),
    deps,
    now,
  );
}

async function settleAndLog(claim: Claim, record: DeliveryRecord, deps: DeliveryDeps, entries: readonly DeliveryLogEntry[]) {
  return [
    await bestEffort('record the attempt on the outbox row', () => deps.outbox.settle(claim, record)),
    await bestEffort('write the delivery log', async () => {
      for (const entry of entries) await deps.log.record(entry);
    }),
  ];
}

const fallbackDetail = (to: readonly string[], defaultRoute: string): string =>
  to.length > 0
    ? `reported, with what it could not deliver, on ${to.join(', ')} of route ${defaultRoute}`
    : 'no other channel to report on, or reported recently';

/**
 * Records and recoveries only: nothing in it needs a person to act, so it is tried for less long. A recovery sent
 * as part of an update is not one: it is shown as "state uncertain", needing a check.
 */
const isInformational = (message: OutboxMessage): boolean =>
  message.items.every((i) => i.reason === 'info' || (i.reason === 'recovered' && !i.heldInPart));
