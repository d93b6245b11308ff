import type { DateTime } from 'luxon';
import type { OutboxMessage, OutboxTicket } from './OutboxMessage.js';
import type { DeliveryLogEntry } from './deliveryLogEntrySchema.js';

/** Where outbox messages wait, whole, between planning and delivery. */
export interface OutboxStore {
  save(messages: readonly OutboxMessage[]): Promise<void>;
  /** Saves the messages whose id the outbox does not hold yet (a stand-in is kept a while once delivered). */
  saveNew(messages: readonly OutboxMessage[]): Promise<void>;
  load(id: string): Promise<OutboxMessage | undefined>;
  listHeld(): Promise<OutboxMessage[]>;
  /**
   * Removes a message. When a delivered message cannot be removed, the store keeps it findable for
   * `removeDelivered` (or says in the error that it could not). `claimed`: the claim the caller took on
   * it, whose read told what there is to remove, so the message is not read again.
   */
  remove(id: string, claimed?: Claim): Promise<void>;
  /** Removes up to `max` messages delivered before `before` (kept stand-ins, or a failed cleanup's); returns how many. */
  removeDelivered(before: DateTime, max: number): Promise<number>;
}

/**
 * Where a message stands, kept on its outbox row so every copy of a ticket (a host redelivery, a
 * duplicate, a replay from the poison queue) sees the same facts:
 * - `pending`: to be sent by the ticket whose attempt is `nextAttempt` (or a later one);
 * - `delivered`: a channel accepted it (recorded before any cleanup): never sent again;
 * - `parked`: Vigil gave up (deadline, permanent failure, unreadable) and reported it; a ticket replayed
 *   from the poison queue with `nextAttempt` or later tries once more.
 */
export type DeliveryRecord =
  | { status: 'pending'; nextAttempt: number; failingSince?: string; fellBackAt?: string }
  | { status: 'delivered'; at: string; attempt: number }
  | { status: 'parked'; at: string; nextAttempt: number; reason: string; fellBackAt?: string };

/** A holder's right to make one attempt, until `until`; `token` is the row's ETag after the claim. */
export interface Claim {
  messageId: string;
  token: string;
  until: string;
  /** The message stays once delivered (`keptOnceDelivered`): the store keeps it findable for the sweep. */
  kept: boolean;
  /** How many items the claim read: the message's rows are known from them, for its removal. */
  items: number;
}

export type ClaimResult =
  /** No such message: delivered and removed, or never saved. */
  | { kind: 'missing' }
  /** The row does not parse (corrupt, truncated, from an unknown version): it cannot be sent. `parked`: reported already. */
  | { kind: 'unreadable'; reason: string; parked: boolean; route?: string; channel?: string }
  /** Delivered already: only cleanup is left. `kept`: a stand-in, which stays until the sweep (see keptOnceDelivered). */
  | { kind: 'delivered'; record: Extract<DeliveryRecord, { status: 'delivered' }>; kept: boolean }
  /** A later ticket carries this message (this one is a duplicate or an old copy). */
  | { kind: 'superseded'; record: Exclude<DeliveryRecord, { status: 'delivered' }> }
  /** Another holder's claim is live. */
  | { kind: 'busy'; until: string }
  /** Claimed: `record` is where the message stood before this claim. */
  | { kind: 'claimed'; message: OutboxMessage; record: Exclude<DeliveryRecord, { status: 'delivered' }>; claim: Claim };

/**
 * Claims on outbox messages: a conditional (ETag) write on the message's row, so of two copies of one
 * ticket handled at the same moment only one sends; a crashed holder's claim lapses at `until`.
 */
export interface OutboxClaims {
  claim(ticket: OutboxTicket, until: DateTime, now: DateTime): Promise<ClaimResult>;
  /** Records where the message now stands and ends the claim; false when the claim had lapsed and was taken. */
  settle(claim: Claim, record: DeliveryRecord): Promise<boolean>;
  /** Marks an unreadable message parked (once reported), so the poison-queue watcher does not report it again. */
  markUnreadable(id: string, reason: string, now: DateTime): Promise<void>;
}

/** The queue that triggers delivery: a visibility delay does the waiting, so nothing sleeps. */
export interface OutboxQueue {
  enqueue(ticket: OutboxTicket, delayMs?: number): Promise<void>;
  /** Parks a ticket (or an unreadable message, as it came) in `vigil-outbox-poison` for a person to look at. */
  poison(message: unknown): Promise<void>;
}

/** What a sender's budget says to one message: send now, holding one of the sends in flight, or wait. */
export type SendTurn =
  /** Send now; `release` once the send is over (it frees the in-flight place). `warning`: the budget could not be kept. */
  | { kind: 'go'; release: () => void; warning?: string }
  /** The window is full: come back in `ms` (a slot is kept for this message then, in turn). */
  | { kind: 'wait'; ms: number; reason: string };

/**
 * One sender's send budget (Exchange Online: 30 messages a minute per mailbox, and 4 sendMail requests
 * at once), checked as each message is about to be sent. The rate is shared by every instance through
 * storage, so neither a late queue listener nor two flushes at once nor a scaled-out app can go over it;
 * the 4 at once are held per instance (across instances a 429 is retried as an attempt).
 */
export interface SendBudget {
  /** Asks to start sending message `id` now; throws when the budget's store cannot be read or written. */
  take(id: string): Promise<SendTurn>;
}

export type { DeliveryLogEntry, DeliveryOutcomeKind } from './deliveryLogEntrySchema.js';

export interface DeliveryLog {
  record(entry: DeliveryLogEntry): Promise<void>;
  list(options: { limit: number; route?: string }): Promise<DeliveryLogEntry[]>;
  /** Newest first, a page at a time; a bad `after` throws `InvalidPageToken`. */
  page(query: { route?: string | undefined }, options: { size: number; after?: string | undefined }): Promise<DeliveryLogPage>;
}

export interface DeliveryLogPage {
  entries: DeliveryLogEntry[];
  /** The next page's token, while more follow. */
  next?: string;
}

/** Endpoints switched off after `410 Gone`, by channel label and a fingerprint of their configuration. */
export interface EndpointSwitch {
  isDisabled(label: string, fingerprint: string): Promise<boolean>;
  disable(label: string, fingerprint: string, reason: string, at: string): Promise<void>;
}

/**
 * Reports that carry no notice of their own ("this channel is failing", "messages were parked") are sent
 * once per key and window, so one broken channel does not report itself per message.
 */
export interface ReportLedger {
  /** True (and remembered) when `key` was not reported since `now - every`. */
  firstSince(key: string, now: DateTime, everyMs: number): Promise<boolean>;
}

/** One message parked in a poison queue: when it was parked, what it says (decoded from base64), and how to move it. */
export interface ParkedMessage {
  id: string;
  insertedOn: string;
  text: string;
  /** What moving it takes (the adapter's receipt); opaque to the core. */
  handle: unknown;
}

/**
 * Vigil's poison queues, by the name of the queue whose messages they park. A message the watcher has
 * reported is moved to a `-reported` queue, so what is left in the poison queue is what was never reported.
 */
export interface PoisonQueues {
  /** How many messages are parked for `queue`, reported or not (approximate, as Storage counts them); 0 when none. */
  depth(queue: string): Promise<number>;
  /**
   * Up to `max` messages not reported yet, oldest first, hidden from other readers for a while, and the
   * depth (reported or not). Ones not moved with `markReported` show again when the while is over.
   */
  read(queue: string, max: number): Promise<{ depth: number; messages: ParkedMessage[] }>;
  /** Moves reported messages to the `-reported` queue, kept there as they came. */
  markReported(queue: string, messages: readonly ParkedMessage[]): Promise<void>;
}
