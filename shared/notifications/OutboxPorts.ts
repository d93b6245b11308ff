import type { OutboxMessage, OutboxTicket } from './OutboxMessage.js';

/** Where outbox messages wait, whole, between planning and delivery. */
export interface OutboxStore {
  save(messages: readonly OutboxMessage[]): Promise<void>;
  load(id: string): Promise<OutboxMessage | undefined>;
  remove(id: string): Promise<void>;
  listHeld(): Promise<OutboxMessage[]>;
}

/** The queue that triggers delivery: a visibility delay does the waiting, so nothing sleeps. */
export interface OutboxQueue {
  enqueue(ticket: OutboxTicket, delayMs?: number): Promise<void>;
  /** Parks a ticket in `vigil-outbox-poison` for a person to look at. */
  poison(ticket: OutboxTicket): Promise<void>;
}

export type DeliveryOutcomeKind = 'delivered' | 'retrying' | 'poisoned' | 'dropped';

/** One row of the delivery log (`GET /api/notifications`): names, counts and reasons, no URLs or secrets. */
export interface DeliveryLogEntry {
  at: string;
  messageId: string;
  route: string;
  channel: string;
  attempt: number;
  outcome: DeliveryOutcomeKind;
  detail: string;
  retryInMs?: number;
  items: number;
  findings: string[];
  types: string[];
}

export interface DeliveryLog {
  record(entry: DeliveryLogEntry): Promise<void>;
  list(options: { limit: number; route?: string }): Promise<DeliveryLogEntry[]>;
}

/** Endpoints switched off after `410 Gone`, by channel label and a fingerprint of their configuration. */
export interface EndpointSwitch {
  isDisabled(label: string, fingerprint: string): Promise<boolean>;
  disable(label: string, fingerprint: string, reason: string, at: string): Promise<void>;
}
