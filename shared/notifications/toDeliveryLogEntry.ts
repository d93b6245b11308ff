import type { DateTime } from 'luxon';
import { channelLabel, type OutboxMessage, type OutboxTicket } from './OutboxMessage.js';
import type { DeliveryLogEntry, DeliveryOutcomeKind } from './OutboxPorts.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

/** One delivery-log row for an attempt on `message`: names, counts and a secret-free reason. */
export function toDeliveryLogEntry(
  message: OutboxMessage,
  ticket: OutboxTicket,
  now: DateTime,
  outcome: DeliveryOutcomeKind,
  detail: string,
  retryInMs?: number,
): DeliveryLogEntry {
  return {
    at: toIsoUtc(now),
    messageId: message.id,
    route: message.route,
    channel: channelLabel(message.channel),
    attempt: ticket.attempt,
    outcome,
    detail,
    ...(retryInMs === undefined ? {} : { retryInMs }),
    items: message.items.length,
    findings: [...new Set(message.items.map((i) => i.findingId))],
    types: [...new Set(message.items.map((i) => i.event.type))],
  };
}
