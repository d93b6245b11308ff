import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from '../../../../local/cloud/http/slidingWindowLimiter.js';

describe('SlidingWindowLimiter', () => {
  it('admits up to the limit per window and says when the next request fits', () => {
    const limiter = new SlidingWindowLimiter(3, 10_000);
    expect([0, 1000, 2000].map((t) => limiter.take('vault', 1, t).admitted)).toEqual([true, true, true]);
    expect(limiter.take('vault', 1, 3000)).toEqual({ admitted: false, retryAfterMs: 7000 });
    expect(limiter.take('vault', 1, 10_000).admitted).toBe(true);
  });

  it('keeps keys apart and does not count refused requests', () => {
    const limiter = new SlidingWindowLimiter(2, 1000);
    limiter.take('a', 2, 0);
    expect(limiter.take('a', 1, 10).admitted).toBe(false);
    expect(limiter.take('b', 2, 10).admitted).toBe(true);
    expect(limiter.take('a', 2, 1000).admitted).toBe(true);
  });
});
