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

  it('waits exactly what Retry-After asked, whatever the attempt', () => {
    expect(retryDelay(1, 1_000, policy, () => 0.9)).toBe(1_000);
    expect(retryDelay(5, 2_128, policy, () => 0.9)).toBe(2_128);
    expect(retryDelay(1, 86_400_000, policy, () => 0.9)).toBe(3_600_000);
  });
});
