import type { NotificationItem } from './NotificationItem.js';
import type { StateChange } from './NotificationState.js';

/**
 * One decided item waiting in a digest bucket with the state change that commits it: the item is written
 * first, the route state second. A flush sends an item whose change is committed, and commits one whose
 * publisher stopped half-way itself (the same conditional write), so nothing decided is lost or orphaned.
 */
export interface HeldItem {
  /** `bucket/row`: what the route state's `items` names once the decision is committed. */
  ref: string;
  route: string;
  item: NotificationItem;
  change: StateChange;
  /** Set by the publisher once its change is committed; a flush checks the others. */
  committed: boolean;
  /**
   * When the publisher held it, by the clock (RFC 3339 UTC): how long a part of a decision has waited for
   * its publisher's retry (partWaitEnd). Not the decision's `at`, which is its events' time and may be days
   * behind the clock after a backlog. Items held by older versions have their decision's time instead.
   */
  heldAt: string;
  /** The flush batch that took the item, once one did. */
  batch?: string;
}

/**
 * A flush writes its outbox messages in steps, so a flush that stops half-way is finished by the next one
 * without sending anything twice: `assigned` (items taken; nothing queued, so the next flush reads them against
 * their route states again and may rebuild the messages), `saved` (messages in the outbox, fixed from then on),
 * `enqueued`.
 */
export interface FlushBatch {
  id: string;
  step: 'assigned' | 'saved' | 'enqueued';
  createdAt: string;
  /**
   * Messages 0 … `messages - 1` of the batch's generation once saved (messageIdsOf); at `assigned`, how many ids each
   * generation so far may have saved a message under (as many as the most any of them planned; 0 from versions that
   * recorded none), which a flush rebuilding the batch removes.
   */
  messages: number;
  /**
   * 0 as the batch is taken; each flush rebuilding it claims the next (resumeBatch) and saves its messages under that
   * generation's ids, so what a stalled earlier flush still removes is never what a later one saved. 0 on rows from
   * versions before it, whose ids are generation 0's.
   */
  generation: number;
  /**
   * The generations below it have had every message id removed (by the rebuild that recorded it with its abandon write),
   * so a rebuild removes only those of [cleared, generation): repeated failures do not make each attempt remove more.
   * 0 as the batch is taken, and on rows from versions before it.
   */
  cleared: number;
  /**
   * Items a flush rebuilding the batch left out as overtaken and removed (abandon), counted with their removal so the
   * flush that finishes the batch reports them, whichever it is.
   */
  abandoned: number;
}

/**
 * A batch row as this flush last read or wrote it: its `etag` makes the flush's next write of the row conditional
 * (setStep), so a flush that another took the batch from (after its lease) stops instead of writing over it.
 */
export interface StoredBatch extends FlushBatch {
  etag: string;
}

/**
 * A flush's hold on a bucket (DigestStore.lease). `fence` is the bucket marker's ETag as this flush last wrote it, kept
 * current by the store as the flush's own writes change the marker (assign); a later lease changes it, so the flush's
 * writes of the marker, each conditional on the fence (assign, release, close), land only while no other flush has
 * leased the bucket since.
 */
export interface BucketLease {
  fence: string;
  /**
   * Random per lease, written into the marker: when a conditional write of the marker fails (a write the service committed
   * but whose answer was lost fails its retry the same way), the marker still naming this holder shows no other flush
   * leased the bucket since, and release and close act on the marker as it now is.
   */
  holder: string;
  /** The lease's end as written into the marker: a marker naming this holder with another end was leased since by a
   * version of Vigil that writes no holder (during a deploy), and is not this lease's to release. */
  until: string;
}

/** `waiting`: a flush ticket is queued and no flush started; `flushing`: one started (late items need another). */
export type BucketStatus = 'none' | 'waiting' | 'flushing';

/** Digest buckets: the items each route must hear in one window (or one day), until a flush sends them. */
export interface DigestStore {
  hold(bucket: string, items: readonly HeldItem[]): Promise<void>;
  /** Best effort: an item left unmarked is checked by the flush instead. */
  markCommitted(bucket: string, refs: readonly string[]): Promise<void>;
  status(bucket: string): Promise<BucketStatus>;
  /** Records that a flush ticket is queued (once: a second call changes nothing). */
  noteTicket(bucket: string): Promise<void>;
  /** Starts a flush: the lease when this caller holds the bucket until `until` (RFC 3339); undefined while another holds it. */
  lease(bucket: string, now: string, until: string): Promise<BucketLease | undefined>;
  /** Ends the lease early, unless another flush leased the bucket since (or finished it): its marker is then left to it. */
  release(bucket: string, lease: BucketLease): Promise<void>;
  list(bucket: string): Promise<{ items: HeldItem[]; batches: StoredBatch[] }>;
  /**
   * Takes the items into the batch, keeping which are sent as part of a decision (`item.heldInPart`), so a
   * flush that finishes the batch after a crash says so too. Answers the batch row as written; undefined, having taken
   * none or only some of them, when another flush leased the bucket after `lease` was given, which shows as the marker
   * changed or gone, or as an item gone: a flush that ran past its lease never takes items another has listed. Throws
   * when such a failure finds the marker still naming this lease's holder: no other flush leased it, so a write of this
   * flush landed unanswered (its retry failed on it) or a stalled flush's final remove took an item (remove has no
   * fence); the flush fails and releases, and its ticket's retry finishes the batch. Any other failure throws.
   */
  assign(bucket: string, batch: FlushBatch, items: readonly HeldItem[], lease: BucketLease): Promise<StoredBatch | undefined>;
  /**
   * Writes the batch's step and count over its row if unchanged since `batch` was read or written (its etag), and
   * answers the row as written; undefined when another flush changed or removed the row first. Never creates a row.
   */
  setStep(bucket: string, batch: StoredBatch): Promise<StoredBatch | undefined>;
  /**
   * Removes a batch's items left out as overtaken, adding them to its `abandoned` in the same writes, each conditional
   * as setStep's (one write with no items when there are none); the row as written, or undefined when another flush
   * changed or removed it first.
   */
  abandon(bucket: string, batch: StoredBatch, refs: readonly string[]): Promise<StoredBatch | undefined>;
  /** Deletes items, and the batch row when given. */
  remove(bucket: string, refs: readonly string[], batchId?: string): Promise<void>;
  /**
   * Deletes the bucket's marker (ending the lease): an item held later starts the bucket over. A marker another flush
   * leased since (or a new ticket's, after another flush closed the bucket) is left as it is.
   */
  close(bucket: string, lease: BucketLease): Promise<void>;
  /** Buckets that hold anything (items, a batch or a marker): what a sweep finds still waiting. */
  listBuckets(): Promise<string[]>;
}

/** The `vigil-digest` queue: a ticket per bucket, invisible until the bucket's window has ended. */
export interface DigestTickets {
  flushLater(bucket: string, delayMs: number): Promise<void>;
}

/** The `vigil-snooze-end` queue: wakes Vigil when a snooze ends, so the finding is re-announced at once. */
export interface SnoozeAlarms {
  wakeAt(findingId: string, until: string, delayMs: number): Promise<void>;
}
