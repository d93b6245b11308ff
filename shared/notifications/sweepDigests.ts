import type { DateTime } from 'luxon';
import { isOverdue } from './digestBuckets.js';
import { flushDigest, type FlushDeps, type FlushResult } from './flushDigest.js';

/** A bucket is overdue this long after its window: its ticket was due to be handled long before. */
const graceMs = 15 * 60_000;

export interface SweptBucket {
  bucket: string;
  /** `failed`: this bucket's flush threw (storage, say); the sweep went on with the others, and the next one tries again. */
  result: FlushResult | { kind: 'failed'; error: unknown };
}

/**
 * Flushes buckets still there after their window: a lost flush ticket (a publish stalled before ticketing),
 * so it is sent late rather than never, or a part of a decision left for its publisher's retry (flushDigest),
 * sent once it has waited its day. One bucket that fails does not keep the others unsent. Returns what each
 * flush did, or how it failed, for the log.
 */
export async function sweepDigests(deps: FlushDeps, now: DateTime): Promise<SweptBucket[]> {
  const overdue = (await deps.digests.listBuckets()).filter((b) => isOverdue(b, deps.windowSeconds, now, graceMs));
  const swept: SweptBucket[] = [];
  for (const bucket of overdue) {
    const result = await flushDigest(bucket, deps, now).catch((error: unknown) => ({ kind: 'failed' as const, error }));
    swept.push({ bucket, result });
  }
  return swept;
}
