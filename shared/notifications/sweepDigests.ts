import type { DateTime } from 'luxon';
import { isOverdue } from './digestBuckets.js';
import { flushDigest, type FlushDeps } from './flushDigest.js';

/** A bucket is overdue this long after its window: its ticket was due to be handled long before. */
const graceMs = 15 * 60_000;

/** Flushes buckets whose flush ticket was lost, so a stalled publish is sent late rather than never. */
export async function sweepDigests(deps: FlushDeps & { windowSeconds: number }, now: DateTime): Promise<string[]> {
  const overdue = (await deps.digests.listBuckets()).filter((b) => isOverdue(b, deps.windowSeconds, now, graceMs));
  for (const bucket of overdue) await flushDigest(bucket, deps, now);
  return overdue;
}
