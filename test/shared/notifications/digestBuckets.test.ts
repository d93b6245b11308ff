import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isOverdue, partWaitEnd, windowBucket } from '../../../shared/notifications/digestBuckets.js';

const at = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });

describe('windowBucket', () => {
  it('puts every moment of a window, on any instance, in the same bucket, aligned to the clock', () => {
    const ids = ['2026-11-23T06:05:00.000Z', '2026-11-23T06:07:31.250Z', '2026-11-23T06:09:59.999Z'].map(
      (t) => windowBucket(at(t), 300, 'run-a').id,
    );
    expect(new Set(ids)).toEqual(new Set(['w-20261123T060500Z']));
    expect(windowBucket(at('2026-11-23T06:10:00.000Z'), 300, 'run-b').id).toBe('w-20261123T061000Z');
  });

  it('ends a bucket when its window ends, so its flush ticket waits exactly that long', () => {
    expect(windowBucket(at('2026-11-23T06:07:31Z'), 300, 'x').endsAt.toISO()).toBe('2026-11-23T06:10:00.000Z');
    expect(windowBucket(at('2026-11-23T06:07:31Z'), 3600, 'x')).toMatchObject({ id: 'w-20261123T060000Z' });
  });

  it('with no window, gives each run a bucket of its own that ends at once', () => {
    const bucket = windowBucket(at('2026-11-23T06:07:31Z'), 0, 'run-1');
    expect(bucket.id).toBe('run-run-1');
    expect(bucket.endsAt.toISO()).toBe('2026-11-23T06:07:31.000Z');
  });

  it('calls a window bucket overdue only well after its window ended, and never the daily one', () => {
    const now = at('2026-11-23T06:30:00Z');
    expect(isOverdue('w-20261123T060500Z', 300, now, 15 * 60_000)).toBe(true);
    expect(isOverdue('w-20261123T061500Z', 300, now, 15 * 60_000)).toBe(false);
    expect(isOverdue('run-abc', 0, now, 15 * 60_000)).toBe(true);
    expect(isOverdue('daily', 300, now, 0)).toBe(false);
  });

  it("leaves a decision held in part for its publisher's retry until a day after its window, or after it was held without one", () => {
    expect(partWaitEnd('w-20261123T060500Z', 300, '2026-11-23T06:07:00Z').toISO()).toBe('2026-11-24T06:10:00.000Z');
    expect(partWaitEnd('daily', 300, '2026-11-23T06:07:00Z').toISO()).toBe('2026-11-24T06:07:00.000Z');
    expect(partWaitEnd('run-abc', 0, '2026-11-23T06:07:00Z').toISO()).toBe('2026-11-24T06:07:00.000Z');
  });

  it('gives no time to wait until when the time of the hold cannot be read (the flush then sends the part at once, and says so)', () => {
    expect(partWaitEnd('daily', 300, 'not a time').isValid).toBe(false);
    expect(partWaitEnd('w-20261123T060500Z', 300, 'not a time').toISO()).toBe('2026-11-24T06:10:00.000Z');
  });
});
