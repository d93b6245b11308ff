import type { DateTime } from 'luxon';
import { bucketOfRef, partWaitEnd } from './digestBuckets.js';
import type { DigestStore, FlushBatch, HeldItem, StoredBatch } from './DigestPorts.js';
import type { NotificationState } from './NotificationState.js';
import type { OutboxMessage } from './OutboxMessage.js';
import { paceMessages, type Spacing } from './paceMessages.js';
import type { OutboxQueue, OutboxStore } from './OutboxPorts.js';
import { messageIdsOf, messagesOfBatch } from './messagesOfBatch.js';
import type { RoutesConfig } from './routesConfig.js';
import { heldAtOf, settleHeldItems, settleTakenItems, type HeldDecision } from './settleHeldItems.js';
import { createConcurrencyLimit } from '../helpers/createConcurrencyLimit.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

export interface FlushDeps {
  config: RoutesConfig;
  state: NotificationState;
  digests: DigestStore;
  outbox: OutboxStore;
  queue: OutboxQueue;
  newId: () => string;
  /**
   * How a flush spreads the messages to one sender's limit, by kind (a first spread: mail keeps to
   * Exchange's limit by its send budget at send time); PagerDuty throttles events per routing key.
   */
  spacing: Spacing;
  /** VIGIL_DIGEST_WINDOW_SECONDS: when a window bucket's window ended, from its name (partWaitEnd). */
  windowSeconds: number;
}

/**
 * `waiting`: items of a decision held only in part, left for their publisher's retry (settleHeldItems); `partial`:
 * items sent of such a decision once its publisher had not finished it within a day (partWaitEnd), counted in
 * `items`; `undated`: those of them sent without waiting, since the time they were held could not be read.
 */
export type FlushResult =
  | { kind: 'busy' }
  | { kind: 'flushed'; items: number; abandoned: number; waiting: number; partial: number; undated: number; messages: number };
export type Flushed = Extract<FlushResult, { kind: 'flushed' }>;

/** What a flush's log line adds about the items it did not send: overtaken, or left for their publisher's retry. */
export function unsentNote(result: Flushed): string {
  const abandoned = result.abandoned ? `, ${result.abandoned} abandoned (their decision was overtaken)` : '';
  const waiting = result.waiting ? `, ${result.waiting} left for their publisher's retry (its decision was held only in part)` : '';
  return abandoned + waiting;
}

/**
 * The warning for a flush that sent part of a decision. Its route state now records the whole decision
 * (the newest severity among it), so a retry of its publisher finds the rest already told and sends none
 * of it: the person learns an open finding's current state from the next reminder or change, a closed one's
 * from the status page (the digest's mark says so), and the route hears of it again only if it reopens.
 */
export function partialWarning(result: Flushed): string | undefined {
  if (result.partial === 0) return undefined;
  const undated = result.undated ? ` (${result.undated} of them at once: the time they were held could not be read)` : '';
  return (
    `${result.partial} item(s) sent of decision(s) held only in part, marked so in the digest${undated}: their publisher had ` +
    "not finished the decision a day after holding them; the rest of it is not sent: the route hears an open finding's current state with its next reminder or change, a closed one's only if it reopens"
  );
}

/** Long enough for a flush of thousands of items; a crashed flush's bucket is free again after it. */
const leaseMs = 5 * 60_000;
/** A crashed batch's messages removed at once before it is rebuilt (the outbox saves 8 at once). */
const parallelRemovals = 8;

/**
 * Sends a digest bucket: one outbox message per route and mail or Teams channel, and one per webhook and
 * event. Idempotent: a second flush of the same bucket finds nothing and sends nothing; one that finds a
 * batch a crashed flush left finishes it without saving or sending anything twice; two at once cannot
 * both run (a lease on the bucket). Items whose publisher stopped before committing are committed here
 * or, if their state moved on, abandoned unsent; a committed one is abandoned when a decision from another
 * bucket or a channel's failure report overtook it (settleHeldItems); a decision held only in part waits for
 * its publisher's retry, for a day (partWaitEnd), then is sent as it is, marked so.
 */
export async function flushDigest(bucket: string, deps: FlushDeps, now: DateTime): Promise<FlushResult> {
  const at = toIsoUtc(now);
  if (!(await deps.digests.lease(bucket, at, toIsoUtc(now.plus({ milliseconds: leaseMs }))))) return { kind: 'busy' };
  try {
    const { items, batches } = await deps.digests.list(bucket);
    let messages = 0;
    let overtaken = 0;
    for (const batch of batches) {
      const resumed = await resumeBatch(
        bucket,
        batch,
        items.filter((i) => i.batch === batch.id),
        deps,
      );
      messages += resumed.messages;
      overtaken += resumed.abandoned;
    }
    const listed = new Set(items.map((i) => i.ref));
    // A ref in another bucket (none today: a decision's route picks its bucket) is that bucket's flush's to find.
    const present = (ref: string) => listed.has(ref) || bucketOfRef(ref) !== bucket;
    const waited = (decision: HeldDecision) => {
      const end = partWaitEnd(bucket, deps.windowSeconds, heldAtOf(decision));
      return !end.isValid ? 'unreadable' : end.toMillis() > now.toMillis() ? 'waiting' : 'over';
    };
    const { kept, abandoned, waiting, partial, undated } = await settleHeldItems(
      items.filter((i) => i.batch === undefined),
      { present, waited },
      deps.state,
    );
    if (kept.length > 0) {
      const taken = { id: deps.newId(), createdAt: at };
      const planned = messagesOfBatch(taken, kept, deps.config);
      // Recorded with the items: a flush that stops while saving leaves which ids it may have saved (resumeBatch).
      const batch: FlushBatch = { ...taken, step: 'assigned', messages: planned.length };
      messages += await saveBatch(bucket, await deps.digests.assign(bucket, batch, kept), kept, planned, deps);
    }
    await deps.digests.remove(
      bucket,
      abandoned.map((i) => i.ref),
    );
    // Items held after the listing are not lost: their publishers see the marker gone (or flushing) and ticket again.
    await deps.digests.close(bucket);
    return { kind: 'flushed', items: kept.length, abandoned: abandoned.length + overtaken, waiting, partial, undated, messages };
  } catch (error) {
    // A flush a batch was taken from ran past its lease: the bucket is the taker's now, so it is left to run out.
    if (!(error instanceof BatchTakenError)) await deps.digests.release(bucket).catch(() => undefined);
    throw error;
  }
}

/**
 * A flush that ran past its lease found its batch taken (or finished) by a later flush: it stops without writing
 * anything more, and the failure is logged (the ticket's retry finds the bucket busy or done).
 */
export class BatchTakenError extends Error {}

/** Writes a batch's next step, conditional on the row as this flush last saw it (DigestStore.setStep). */
async function stepTo<B extends StoredBatch>(bucket: string, batch: B, deps: FlushDeps): Promise<B> {
  const written = await deps.digests.setStep(bucket, batch);
  if (written) return { ...batch, etag: written.etag };
  throw new BatchTakenError(
    `digest ${bucket}: batch ${batch.id} was taken or finished by another flush while this one ran past its lease; left to it`,
  );
}

/**
 * Finishes a batch a crashed flush left. One still at `assigned` has no message queued (those the crashed attempt
 * saved, if any, were never sent), so it is built again from what holds now: its items are read against their route
 * states again (settleTakenItems) and a decision overtaken since it was taken is left out. Every message the batch
 * may have saved is removed first: a rebuilt plan can have fewer messages (a decision out, a channel gone from the
 * routes), and a message under the same id may change, where a save writes over a message's rows but leaves those
 * it no longer has. Then the abandoned items go, and the batch is finished as a new one. A crash at any of these
 * steps leaves every message saved for the batch under the ids recorded (or, from versions that recorded none,
 * planned from its items), so the next flush does the same again. A batch at `saved` or later is finished as it is:
 * its messages may be delivered already, so a decision in it overtaken since still goes out (docs/notifications.md).
 *
 * The flush that took the batch may still be running (stalled past its lease): before removing anything this one
 * claims the batch, a write conditional on the row as listed that also records the ids its plan takes. Every later
 * write of a batch row is conditional the same way and never creates one (setStep), and a flush queues messages
 * only after recording `saved`, so of two flushes on one batch:
 * - the stalled one recorded `saved` before the claim: the claim fails, and the claimer stops before removing anything;
 * - the claim came first: the stalled flush's next step fails, so it stops before queueing anything: the messages
 *   it saved are removed by the claimer, or rewritten under the same ids (a save still in flight past the claimer's
 *   removals leaves rows no message of the claimer has: never queued, or read as unreadable, parked and reported);
 * - the stalled one finished first (row removed): the claim finds no row and the claimer stops.
 * A batch at `assigned` with no items left had its messages removed before them (a flush removes the overtaken items
 * after the messages), so nothing is removed for it: its row goes as an empty batch's.
 */
async function resumeBatch(
  bucket: string,
  batch: StoredBatch,
  items: readonly HeldItem[],
  deps: FlushDeps,
): Promise<{ messages: number; abandoned: number }> {
  if (batch.step !== 'assigned') return { messages: await finishBatch(bucket, { ...batch, step: batch.step }, items, deps), abandoned: 0 };
  const { kept, abandoned } = await settleTakenItems(items, deps.state);
  const mayHold = items.length === 0 ? 0 : Math.max(batch.messages, messagesOfBatch(batch, items, deps.config).length);
  const planned = messagesOfBatch(batch, kept, deps.config);
  const claimed = await stepTo(bucket, { ...batch, messages: Math.max(batch.messages, mayHold, planned.length) }, deps);
  const limit = createConcurrencyLimit(parallelRemovals);
  const removals = await Promise.allSettled(messageIdsOf(batch, mayHold).map((id) => limit(() => deps.outbox.remove(id))));
  // Every removal ends before a failure lets go of the bucket: none runs on while another flush rebuilds the batch.
  const failed = removals.find((removal): removal is PromiseRejectedResult => removal.status === 'rejected');
  if (failed) throw failed.reason;
  await deps.digests.remove(
    bucket,
    abandoned.map((i) => i.ref),
  );
  return { messages: await saveBatch(bucket, claimed, kept, planned, deps), abandoned: abandoned.length };
}

/** Saves the messages planned for a batch at `assigned`, records them saved, and finishes the batch. */
async function saveBatch(
  bucket: string,
  batch: StoredBatch,
  items: readonly HeldItem[],
  planned: readonly OutboxMessage[],
  deps: FlushDeps,
): Promise<number> {
  await deps.outbox.save(planned);
  const saved = await stepTo(bucket, { ...batch, step: 'saved' as const, messages: planned.length }, deps);
  return finishBatch(bucket, saved, items, deps, planned);
}

/**
 * Takes a saved batch to enqueued, then removes its items. Returns the messages enqueued. `saved`: its messages, when
 * this flush saved them; otherwise what is still in the outbox of them.
 */
async function finishBatch(
  bucket: string,
  batch: StoredBatch & { step: 'saved' | 'enqueued' },
  items: readonly HeldItem[],
  deps: FlushDeps,
  saved?: readonly OutboxMessage[],
): Promise<number> {
  let pending: readonly OutboxMessage[] = [];
  if (batch.step === 'saved') {
    // Saved but maybe partly enqueued and delivered: enqueue what is still in the outbox, never save again.
    const ids = messageIdsOf(batch, batch.messages);
    pending = saved ?? (await Promise.all(ids.map((id) => deps.outbox.load(id)))).filter((m): m is OutboxMessage => m !== undefined);
    await enqueueSpaced(pending, deps);
    await stepTo(bucket, { ...batch, step: 'enqueued' }, deps);
  }
  await deps.digests.remove(
    bucket,
    items.map((i) => i.ref),
    batch.id,
  );
  return pending.length;
}

/** Messages that share a limit go out spaced (see paceMessages). */
async function enqueueSpaced(messages: readonly OutboxMessage[], deps: FlushDeps): Promise<void> {
  const delays = paceMessages(messages, deps.config, deps.spacing);
  await Promise.all(messages.map((m) => deps.queue.enqueue({ id: m.id, attempt: 1 }, delays.get(m.id))));
}
