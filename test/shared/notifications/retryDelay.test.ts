import { describe, expect, it } from 'vitest';
import { retryDelay } from '../../../shared/notifications/retryDelay.js';

const policy = { baseMs: 30_000, capMs: 3_600_000 };

describe('retryDelay', () => {
  it.each([
    [1, 0, 15_000],
    [1, 1, 30_000],
    [2, 0.5, 45_000],
    [3, 1, 120_000],
    [10, 1, 3_600_000],
  ])('attempt %i with random %f waits %i ms', (attempt, random, expected) =>
    expect(retryDelay(attempt, undefined, policy, () => random)).toBe(expected),
  );

  it('waits what Retry-After asked, up to an hour', () => {
    expect(retryDelay(1, 1_000, policy, () => 0.9)).toBe(1_000);
    expect(retryDelay(5, 300_000, policy, () => 0.9)).toBe(300_000);
    expect(retryDelay(1, 86_400_000, policy, () => 0.9)).toBe(3_600_000);
  });

  it('never retries sooner than the backoff from the second attempt, however small Retry-After is', () => {
    // A receiver answering "Retry-After: 0" for hours (an outage behind a proxy) is not retried in a loop.
    const delays = [1, 2, 3, 4, 5, 10].map((attempt) => retryDelay(attempt, 0, policy, () => 0.9));
    expect(delays).toEqual([0, 30_000, 60_000, 120_000, 240_000, 1_800_000]);
    expect(retryDelay(5, 2_128, policy, () => 0.9)).toBe(240_000);
  });
});
