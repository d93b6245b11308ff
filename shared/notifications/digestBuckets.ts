import { DateTime } from 'luxon';

/** Routes on the `daily` schedule share one bucket, sent by the daily digest timer. */
export const dailyBucket = 'daily';

export interface WindowBucket {
  id: string;
  endsAt: DateTime;
}

/**
 * The digest window `at` falls in: windows are aligned to multiples of `windowSeconds` since the epoch,
 * so every instance and every rerun puts the same moment in the same bucket. With no window (0), each
 * run is a bucket of its own that ends at once: one digest per route and run.
 */
export function windowBucket(at: DateTime, windowSeconds: number, runId: string): WindowBucket {
  if (windowSeconds <= 0) return { id: `run-${runId}`, endsAt: at };
  const size = windowSeconds * 1000;
  const start = DateTime.fromMillis(Math.floor(at.toMillis() / size) * size, { zone: 'utc' });
  return { id: `w-${start.toFormat("yyyyLLdd'T'HHmmss'Z'")}`, endsAt: start.plus({ milliseconds: size }) };
}

/** The bucket a held item's ref (`<bucket>/item|…`) names. */
export const bucketOfRef = (ref: string): string => ref.slice(0, ref.indexOf('/'));

/**
 * Whether a bucket's window ended more than `graceMs` ago, so a flush ticket should have sent it: a
 * bucket still there then lost its ticket (a publisher stopped between holding and ticketing).
 */
export function isOverdue(bucket: string, windowSeconds: number, now: DateTime, graceMs: number): boolean {
  if (bucket === dailyBucket) return false;
  if (bucket.startsWith('run-')) return true;
  const end = windowEndOf(bucket, windowSeconds);
  return end !== undefined && end.toMillis() + graceMs <= now.toMillis();
}

/** How long a flush leaves a decision held only in part for its publisher's retry (flushDigest's settle). */
const partWaitDays = 1;

/**
 * Until when a flush leaves a decision held only in part for its publisher's retry: a day after the bucket's
 * window ends, or, for the daily bucket and a run's own (their names hold no time), a day after the part was
 * held (`heldAt`, by the clock: a decision's own time is its events', which may be days old after a backlog).
 * A publisher that never retries (a sign-in over HTTP, a poisoned message, a finding gone by the next run)
 * would otherwise leave the part unsent and unseen for ever; after this, it is sent, late and said.
 */
export function partWaitEnd(bucket: string, windowSeconds: number, heldAt: string): DateTime {
  return (windowEndOf(bucket, windowSeconds) ?? DateTime.fromISO(heldAt, { zone: 'utc' })).plus({ days: partWaitDays });
}

/** When a window bucket's window ends; undefined for the daily bucket and a run's own. */
function windowEndOf(bucket: string, windowSeconds: number): DateTime | undefined {
  if (!bucket.startsWith('w-')) return undefined;
  const start = DateTime.fromFormat(bucket.slice(2), "yyyyLLdd'T'HHmmss'Z'", { zone: 'utc' });
  return start.isValid ? start.plus({ seconds: windowSeconds }) : undefined;
}
