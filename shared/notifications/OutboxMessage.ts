import { z } from 'zod';
import type { NotificationItem } from './NotificationItem.js';

/** Which channel of a route a message is for; names refer to the route's configuration, never to a URL. */
export type ChannelRef =
  | { kind: 'mail' }
  | { kind: 'teams'; name: string }
  | { kind: 'slack'; name: string }
  | { kind: 'pagerduty'; name: string }
  | { kind: 'webhook'; name: string };

/** The channel kinds that carry a name (all but mail). */
export const namedChannelKinds = ['teams', 'slack', 'pagerduty', 'webhook'] as const;

/**
 * One delivery to make: kept in the outbox table (a 500-finding digest is far above a queue message's
 * 64 KB) while the queue carries only an `OutboxTicket`. The id is stable across retries: it is the
 * Standard Webhooks `webhook-id`.
 */
export interface OutboxMessage {
  id: string;
  route: string;
  channel: ChannelRef;
  createdAt: string;
  /** Waiting for the daily digest timer instead of the queue. */
  held: boolean;
  items: NotificationItem[];
  /**
   * Set on a message the delivery side planned itself: a fallback copy or a report of what could not be
   * delivered, standing in for the channel named here. Such a message never falls back again.
   */
  fallbackFor?: string;
}

/**
 * Whether a message stays in the outbox once delivered: a fallback stand-in is kept as its record (a
 * fallback that runs again finds it and sends nothing twice) until `sweepOutbox` removes it. Any other
 * message is removed as soon as its delivery is recorded.
 */
export const keptOnceDelivered = (message: { fallbackFor?: string | undefined }): boolean => message.fallbackFor !== undefined;

/** What the `vigil-outbox` queue carries: which message, and which attempt this is (1-based). */
export const outboxTicketSchema = z.object({ id: z.string().min(1), attempt: z.number().int().min(1) });
export type OutboxTicket = z.infer<typeof outboxTicketSchema>;

export const channelLabel = (channel: ChannelRef): string => (channel.kind === 'mail' ? 'mail' : `${channel.kind}:${channel.name}`);
