import type { DateTime } from 'luxon';
import type { EventPublisher } from '../events/EventPublisher.js';
import { afterFailedAttempt, fallBackFrom } from './afterFailedAttempt.js';
import { bestEffort } from './bestEffort.js';
import { deliverOutboxMessage, type SendDeps } from './deliverOutboxMessage.js';
import type { FallbackDeps } from './fallBack.js';
import { fingerprintOf } from './fingerprintOf.js';
import { channelLabel, keptOnceDelivered, type OutboxTicket } from './OutboxMessage.js';
import type { ClaimResult, DeliveryLog, EndpointSwitch, OutboxClaims, OutboxStore } from './OutboxPorts.js';
import { parkUnreadable } from './parkUnreadable.js';
import type { BackoffPolicy } from './retryDelay.js';
import type { RoutesConfig } from './routesConfig.js';
import { alreadyHandled, outcomeOf, waitingOf, type TicketResult } from './TicketResult.js';
import { toDeliveryLogEntry } from './toDeliveryLogEntry.js';
import { closeDeliveryFinding } from './trackDeliveryFinding.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

/** How long deliveries are tried, when they fall back, and how long one attempt may hold a message. */
export interface DeliveryPolicy {
  backoff: BackoffPolicy;
  /** From the message's creation: a notice about a problem, and a purely informational one. */
  deadlineMs: number;
  infoDeadlineMs: number;
  /** How long a channel may keep failing one message before it is reported on the default route. */
  fallbackAfterMs: number;
  /** Longer than the longest attempt (every outbound call is bounded by the delivery timeout). */
  claimMs: number;
}

export interface DeliveryDeps extends FallbackDeps, SendDeps {
  config: RoutesConfig;
  outbox: OutboxStore & OutboxClaims;
  log: DeliveryLog;
  endpoints: EndpointSwitch;
  policy: DeliveryPolicy;
  homeTenantId: string;
  random: () => number;
  /** The notification pipeline: a channel that delivers again publishes its `delivery.recovered` there. */
  findings: EventPublisher;
}

/**
 * Handles one outbox ticket. The message is claimed first (a conditional write on its row), so of two
 * copies of a ticket handled at once only one sends, then attempted once. Once a channel accepted it, that
 * fact is recorded before anything else, and failing cleanup after it is a warning: a host redelivery or a
 * replay from the poison queue finds it delivered and never sends it again. Failures: afterFailedAttempt.
 */
export async function processOutboxTicket(ticket: OutboxTicket, deps: DeliveryDeps, now: DateTime): Promise<TicketResult> {
  const claimed = await deps.outbox.claim(ticket, now.plus(deps.policy.claimMs), now);
  switch (claimed.kind) {
    case 'missing':
      return alreadyHandled('nothing to send: delivered earlier, or never saved');
    case 'superseded':
      return alreadyHandled(`a later ticket (attempt ${claimed.record.nextAttempt}) carries this message`);
    case 'delivered':
      // A stand-in stays as its delivered record until the sweep, even when its ticket comes again (a crash after settle):
      // removed now, a fallback that runs again would find it gone and send it twice.
      if (claimed.kept) return alreadyHandled(`delivered at ${claimed.record.at}; kept until the outbox sweep`);
      return alreadyHandled(`delivered at ${claimed.record.at}; cleaned up`, [
        await bestEffort('remove the outbox message', () => deps.outbox.remove(ticket.id)),
      ]);
    case 'busy':
      // The holder may have crashed: look again when its claim lapses (by then a settled message reads as handled).
      await deps.queue.enqueue(ticket, Math.max(0, Date.parse(claimed.until) - now.toMillis()) + 1000);
      return alreadyHandled(`another worker holds it until ${claimed.until}`);
    case 'unreadable': {
      const { kind: _, parked, ...known } = claimed;
      return parkUnreadable({ ...known, ticket, reportedBefore: parked }, ticket, deps, now);
    }
    case 'claimed':
      return attempt(ticket, claimed, deps, now);
  }
}

type Claimed = Extract<ClaimResult, { kind: 'claimed' }>;

async function attempt(ticket: OutboxTicket, claimed: Claimed, deps: DeliveryDeps, now: DateTime) {
  const { message, claim } = claimed;
  const label = channelLabel(message.channel);
  if (await deps.endpoints.isDisabled(label, fingerprintOf(message, deps.config))) {
    const reason = `${label} is disabled: it answered 410 Gone; change its configuration to enable it again`;
    // Its readers will not get this: the default route does (the report itself goes once a day at most).
    const fellBackTo = message.fallbackFor ? [] : await fallBackFrom(message, ticket, 'gone', reason, deps, now);
    return drop(claimed, ticket, reason, deps, now, fellBackTo);
  }
  const { attempt: outcome, note, warning } = await deliverOutboxMessage(message, deps, now);
  if (outcome.kind === 'notConfigured') return drop(claimed, ticket, outcome.reason, deps, now);
  if (outcome.kind === 'deferred') {
    // Not an attempt: the same ticket comes back when the sender has room, with no backoff and no failure.
    await deps.queue.enqueue(ticket, outcome.ms);
    const released = await bestEffort('release the claim', async () => {
      if (!(await deps.outbox.settle(claim, claimed.record))) throw new Error('its claim had lapsed and another worker took the message');
    });
    return waitingOf(message, outcome.reason, outcome.ms, [released]);
  }
  if (outcome.kind !== 'delivered') return withWarning(await afterFailedAttempt(ticket, claimed, outcome, deps, now), warning);
  // The fact first: once the row says delivered, no copy of this ticket sends it again.
  const recorded = await bestEffort('record the delivery on the outbox row', async () => {
    if (!(await deps.outbox.settle(claim, { status: 'delivered', at: toIsoUtc(now), attempt: ticket.attempt })))
      throw new Error('its claim had lapsed and another worker took the message');
  });
  const detail = [note, outcome.note].filter(Boolean).join('; ');
  return outcomeOf(message, 'delivered', detail, {
    warnings: [
      warning,
      recorded,
      // A stand-in stays as its delivered record (sweepOutbox removes it later): a fallback that runs again finds it.
      keptOnceDelivered(message) ? undefined : await bestEffort('remove the outbox message', () => deps.outbox.remove(message.id, claim)),
      await bestEffort('write the delivery log', () => deps.log.record(toDeliveryLogEntry(message, ticket, now, 'delivered', detail))),
      await bestEffort("close the channel's delivery failure", () => closeDeliveryFinding(deps, message.route, label, now)),
    ],
  });
}

async function drop(
  { message, claim }: Claimed,
  ticket: OutboxTicket,
  reason: string,
  deps: DeliveryDeps,
  now: DateTime,
  fellBackTo: string[] = [],
): Promise<TicketResult> {
  return outcomeOf(message, 'dropped', reason, {
    fellBackTo,
    warnings: [
      await bestEffort('remove the outbox message', () => deps.outbox.remove(message.id, claim)),
      await bestEffort('write the delivery log', () => deps.log.record(toDeliveryLogEntry(message, ticket, now, 'dropped', reason))),
    ],
  });
}

const withWarning = (result: TicketResult, warning: string | undefined): TicketResult =>
  warning ? { ...result, warnings: [warning, ...result.warnings] } : result;
