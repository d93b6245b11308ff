import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSlidingWindowBudget } from '../../../shared/helpers/createSlidingWindowBudget.js';

beforeEach(() => vi.useFakeTimers({ now: 0 }));
afterEach(() => vi.useRealTimers());

describe('createSlidingWindowBudget', () => {
  it('admits the limit at once, then the next request a window after the first one ended', async () => {
    const budget = createSlidingWindowBudget(3, 10_000);
    const started: number[] = [];
    const run = async (ms: number) => {
      const release = await budget.take();
      started.push(Date.now());
      await new Promise((r) => setTimeout(r, ms));
      release();
    };
    const all = Promise.all([run(100), run(200), run(300), run(10), run(10)]);
    await vi.advanceTimersByTimeAsync(30_000);
    await all;
    // The first three start at once; slots free up 10 s after each of the first two ended (100 ms, 200 ms).
    expect(started).toEqual([0, 0, 0, 10_101, 10_201]);
  });

  it('counts a request still in flight, however long it takes', async () => {
    const budget = createSlidingWindowBudget(1, 1_000);
    const release = await budget.take();
    let second = false;
    void budget.take().then(() => (second = true));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(second).toBe(false);
    release();
    await vi.advanceTimersByTimeAsync(1_001);
    expect(second).toBe(true);
  });
});
