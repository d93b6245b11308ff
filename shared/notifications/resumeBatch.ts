import type { FlushDeps } from './flushDigest.js';
import type { HeldItem, StoredBatch } from './DigestPorts.js';
import type { OutboxMessage } from './OutboxMessage.js';
import { paceMessages } from './paceMessages.js';
import { messageIdsOf, messagesOfBatch } from './messagesOfBatch.js';
import { settleTakenItems } from './settleHeldItems.js';
import { createConcurrencyLimit } from '../helpers/createConcurrencyLimit.js';

/** A crashed batch's messages removed at once before it is rebuilt (the outbox saves 8 at once). */
const parallelRemovals = 8;

/**
 * Two flushes met on one batch (one of them ran past its lease) and the other wrote first: this one stops without
 * writing anything more to the batch and leaves it to the other; the failure is logged. It lets go of its lease only if
 * it still holds it (the ticket's retry then finds the bucket free, or busy with the flush that leased it since).
 */
export class BatchTakenError extends Error {}

/** Writes a batch's next step, conditional on the row as this flush last saw it (DigestStore.setStep). */
async function stepTo<B extends StoredBatch>(bucket: string, batch: B, deps: FlushDeps): Promise<B> {
  const answer = await deps.digests.setStep(bucket, batch);
  return { ...batch, etag: written(bucket, batch, answer).etag };
}

/** The batch row a conditional write answered, or BatchTakenError when another flush wrote it first. */
function written(bucket: string, batch: StoredBatch, answer: StoredBatch | undefined): StoredBatch {
  if (answer) return answer;
  throw new BatchTakenError(
    `digest ${bucket}: batch ${batch.id} was taken or finished by another flush (one of the two ran past its lease); left to it`,
  );
}

/**
 * Finishes a batch a crashed flush left. One still at `assigned` has no message queued (those the crashed attempt
 * saved, if any, were never sent), so it is built again from what holds now: its items are read against their route
 * states again (settleTakenItems) and a decision overtaken since it was taken is left out. Every message an earlier
 * attempt may have saved is removed first: a rebuilt plan can have fewer messages (a decision out, a channel gone from
 * the routes). Then the abandoned items go (counted in the batch row as they go, for the flush that finishes the batch
 * to report), and the batch is finished as a new one. A crash at any of these steps leaves every message saved for the
 * batch under the ids recorded (or, from versions that recorded none, planned from its items), so the next flush does
 * the same again. A batch at `saved` or later is finished as it is: its messages may be delivered already, so a
 * decision in it overtaken since still goes out (docs/notifications.md).
 *
 * The flush that took the batch, or rebuilt it before, may still be running (stalled past its lease): before removing
 * anything this one claims the batch, a write conditional on the row as listed that records the next generation and
 * how many ids each generation may hold. It removes the ids of every earlier generation not yet recorded cleared (the
 * abandon write records them so) and saves under its own, so a
 * stalled flush's removals (of earlier generations still) never reach a message this one saved. Every later write of a
 * batch row is conditional the same way and never creates one (setStep), and a flush queues messages only after
 * recording `saved`, so of two flushes on one batch:
 * - the stalled one recorded `saved` before the claim: the claim fails, and the claimer stops before removing anything;
 * - the claim came first: the stalled flush's next step fails, so it stops before queueing anything; the messages it
 *   saved are removed by the claimer (a save still in flight past the claimer's removals leaves rows under the stalled
 *   flush's generation, which no flush queues);
 * - the stalled one finished first (row removed): the claim finds no row and the claimer stops;
 * - the batch was at `saved` when listed: both may queue its messages (the outbox's claim on a message delivers it
 *   once, whatever its tickets), and the second to record `enqueued` stops.
 * A batch at `assigned` with no items left had its messages removed before them (a flush removes the overtaken items
 * after the messages), so nothing is removed for it: its row goes as an empty batch's.
 */
export async function resumeBatch(
  bucket: string,
  batch: StoredBatch,
  items: readonly HeldItem[],
  deps: FlushDeps,
): Promise<{ messages: number; abandoned: number }> {
  if (batch.step !== 'assigned')
    return { messages: await finishBatch(bucket, { ...batch, step: batch.step }, items, deps), abandoned: batch.abandoned };
  const { kept, abandoned } = await settleTakenItems(items, deps.state);
  // The row's count, raised by each claim; the plan of the items for rows from versions that recorded none.
  const mayHold = Math.max(batch.messages, messagesOfBatch(batch, items, deps.config).length);
  const generation = batch.generation + 1;
  const planned = messagesOfBatch({ ...batch, generation }, kept, deps.config);
  // The rebuilt plan, of fewer items on the same routes, is no larger today (settleTakenItems keeps or drops a finding's
  // decisions on a route together); the count bounds this generation's save whatever that rule becomes.
  const claimed = await stepTo(bucket, { ...batch, generation, messages: Math.max(mayHold, planned.length) }, deps);
  // Only the generations no earlier rebuild recorded cleared: each attempt removes at most what the failed ones left.
  const earlier =
    items.length === 0
      ? []
      : Array.from({ length: generation - batch.cleared }, (_, g) => messageIdsOf({ ...batch, generation: batch.cleared + g }, mayHold));
  const limit = createConcurrencyLimit(parallelRemovals);
  const removals = await Promise.allSettled(earlier.flat().map((id) => limit(() => deps.outbox.remove(id))));
  // Every removal ends before a failure lets go of the bucket: none runs on while another flush rebuilds the batch.
  const failed = removals.find((removal): removal is PromiseRejectedResult => removal.status === 'rejected');
  if (failed) throw failed.reason;
  // The abandon write always happens (once even with nothing to abandon): it records the earlier generations cleared.
  const answer = await deps.digests.abandon(
    bucket,
    { ...claimed, cleared: generation },
    abandoned.map((i) => i.ref),
  );
  const emptied = written(bucket, claimed, answer);
  // Counted in the row with their removal: a flush that stopped after removing some leaves them to this count.
  return { messages: await saveBatch(bucket, emptied, kept, planned, deps), abandoned: emptied.abandoned };
}

/** Saves the messages planned for a batch at `assigned`, records them saved, and finishes the batch. */
export async function saveBatch(
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
