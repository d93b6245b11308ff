import type { DateTime } from 'luxon';
import { bucketOfRef, partWaitEnd } from './digestBuckets.js';
import type { DigestStore, FlushBatch } from './DigestPorts.js';
import { BatchTakenError, resumeBatch, saveBatch } from './resumeBatch.js';
import type { NotificationState } from './NotificationState.js';
import type { Spacing } from './paceMessages.js';
import type { OutboxQueue, OutboxStore } from './OutboxPorts.js';
import { messagesOfBatch } from './messagesOfBatch.js';
import type { RoutesConfig } from './routesConfig.js';
import { heldAtOf, settleHeldItems, type HeldDecision } from './settleHeldItems.js';
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

/**
 * Sends a digest bucket: one outbox message per route and mail or Teams channel, and one per webhook and
 * event. Idempotent: a second flush of the same bucket finds nothing and sends nothing; one that finds a
 * batch a crashed flush left finishes it without saving or sending anything twice; two at once cannot
 * both run (a lease on the bucket; one that runs past it stops at its next write of a batch: BatchTakenError).
 * Items whose publisher stopped before committing are committed here or, if their state moved on, abandoned
 * unsent; a committed one is abandoned when a decision from another bucket or a channel's failure report
 * overtook it (settleHeldItems); a decision held only in part waits for its publisher's retry, for a day
 * (partWaitEnd), then is sent as it is, marked so.
 */
export async function flushDigest(bucket: string, deps: FlushDeps, now: DateTime): Promise<FlushResult> {
  const at = toIsoUtc(now);
  const lease = await deps.digests.lease(bucket, at, toIsoUtc(now.plus({ milliseconds: leaseMs })));
  if (lease === undefined) return { kind: 'busy' };
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
      const taken = { id: deps.newId(), createdAt: at, generation: 0 };
      const planned = messagesOfBatch(taken, kept, deps.config);
      // Recorded with the items: a flush that stops while saving leaves which ids it may have saved (resumeBatch).
      const batch: FlushBatch = { ...taken, step: 'assigned', messages: planned.length, abandoned: 0, cleared: 0 };
      const assigned = await deps.digests.assign(bucket, batch, kept, lease);
      if (!assigned) throw new BatchTakenError(`digest ${bucket}: another flush leased it while this one ran past its lease; left to it`);
      messages += await saveBatch(bucket, assigned, kept, planned, deps);
    }
    await deps.digests.remove(
      bucket,
      abandoned.map((i) => i.ref),
    );
    // Items held after the listing are not lost: their publishers see the marker gone (or flushing) and ticket again.
    await deps.digests.close(bucket, lease);
    return { kind: 'flushed', items: kept.length, abandoned: abandoned.length + overtaken, waiting, partial, undated, messages };
  } catch (error) {
    // Also on BatchTakenError: a flush past its lease leaves the marker to the later one (release is conditional), and
    // the holder whose claim lost to a stalled flush frees the bucket for its ticket's retry.
    await deps.digests.release(bucket, lease).catch(() => undefined);
    throw error;
  }
}
