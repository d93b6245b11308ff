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

  it('admits a request in constant time however many the window holds', () => {
    // 50,000 requests in one window: summing the window on each take is 1.25 billion additions, many
    // seconds; keeping a running total is milliseconds. The bound leaves room for a loaded machine.
    const limiter = new SlidingWindowLimiter(1_000_000, 10_000);
    const started = performance.now();
    for (let i = 0; i < 50_000; i++) limiter.take('vault', 1, i / 10);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(limiter.take('vault', 1, 10_000).admitted).toBe(true);
  });

  it('counts what aged out of a long run only once, and keeps refusing at the limit', () => {
    const limiter = new SlidingWindowLimiter(100, 1000);
    // Five windows' worth, one request every 10 ms: 100 in any 1 s at most, so all are admitted.
    for (let t = 0; t <= 5000; t += 10) expect(limiter.take('vault', 1, t).admitted).toBe(true);
    // The last second holds 100 (4010..5000): the next is refused until 4010 has aged out, 5 ms on.
    expect(limiter.take('vault', 1, 5005)).toEqual({ admitted: false, retryAfterMs: 5 });
    expect(limiter.take('vault', 1, 5010).admitted).toBe(true);
  });
});
