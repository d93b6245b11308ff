import { channelLabel, type ChannelRef, type OutboxMessage } from './OutboxMessage.js';
import type { DeliveryOutcomeKind } from './OutboxPorts.js';
import { warningsOf } from './bestEffort.js';

/** A channel's kind; `unknown` for an outbox row or ticket too damaged to say. */
export type ChannelKind = ChannelRef['kind'] | 'unknown';

/**
 * What handling one outbox ticket came to, for the function's log line and its metrics:
 * - `alreadyHandled`: nothing was sent (delivered earlier, a later ticket carries it, another worker holds it);
 * - `waiting`: not sent and not failed: the sender's budget is spent, and the same ticket comes back in `retryInMs`;
 * - otherwise the attempt's outcome on the message's channel, the default route's channels it fell back
 *   to on this attempt, and warnings for cleanup that failed (never a reason to send again).
 */
export type TicketResult =
  | { kind: 'alreadyHandled'; detail: string; warnings: string[] }
  | { kind: 'waiting'; label: string; route: string; detail: string; retryInMs: number; warnings: string[] }
  | {
      kind: Exclude<DeliveryOutcomeKind, 'fallback'>;
      route: string;
      channel: ChannelKind;
      label: string;
      detail: string;
      retryInMs?: number;
      fellBackTo: string[];
      warnings: string[];
    };

export function alreadyHandled(detail: string, warnings: ReadonlyArray<string | undefined> = []): TicketResult {
  return { kind: 'alreadyHandled', detail, warnings: warningsOf(warnings) };
}

export function waitingOf(
  message: OutboxMessage,
  detail: string,
  retryInMs: number,
  warnings: ReadonlyArray<string | undefined>,
): TicketResult {
  return { kind: 'waiting', label: channelLabel(message.channel), route: message.route, detail, retryInMs, warnings: warningsOf(warnings) };
}

export function outcomeOf(
  message: OutboxMessage,
  kind: Exclude<DeliveryOutcomeKind, 'fallback'>,
  detail: string,
  extra: { retryInMs?: number; fellBackTo?: string[]; warnings: ReadonlyArray<string | undefined> },
): TicketResult {
  return {
    kind,
    route: message.route,
    channel: message.channel.kind,
    label: channelLabel(message.channel),
    detail,
    ...(extra.retryInMs === undefined ? {} : { retryInMs: extra.retryInMs }),
    fellBackTo: extra.fellBackTo ?? [],
    warnings: warningsOf(extra.warnings),
  };
}

/** One count per outcome and channel kind: what the function layer turns into delivery metrics. */
export interface DeliveryCount {
  channel: ChannelKind;
  outcome: DeliveryOutcomeKind;
}

export function deliveryCountsOf(result: TicketResult): DeliveryCount[] {
  if (result.kind === 'alreadyHandled' || result.kind === 'waiting') return [];
  const counts: DeliveryCount[] = [{ channel: result.channel, outcome: result.kind }];
  if (result.fellBackTo.length > 0) counts.push({ channel: result.channel, outcome: 'fallback' });
  return counts;
}
