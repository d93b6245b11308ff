import type { DateTime } from 'luxon';
import { isOverdue } from './digestBuckets.js';
import { flushDigest, type FlushDeps, type FlushResult } from './flushDigest.js';

/** A bucket is overdue this long after its window: its ticket was due to be handled long before. */
const graceMs = 15 * 60_000;

export interface SweptBucket {
  bucket: string;
  result: FlushResult;
}

/**
 * Flushes buckets still there after their window: a lost flush ticket (a publish stalled before ticketing),
 * so it is sent late rather than never, or a part of a decision left for its publisher's retry (flushDigest),
 * sent once it has waited its day. Returns what each flush did, for the log.
 */
export async function sweepDigests(deps: FlushDeps, now: DateTime): Promise<SweptBucket[]> {
  const overdue = (await deps.digests.listBuckets()).filter((b) => isOverdue(b, deps.windowSeconds, now, graceMs));
  const swept: SweptBucket[] = [];
  for (const bucket of overdue) swept.push({ bucket, result: await flushDigest(bucket, deps, now) });
  return swept;
}
