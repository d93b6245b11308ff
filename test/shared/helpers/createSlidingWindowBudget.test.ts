import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSlidingWindowBudget, systemClock, type WindowClock } from '../../../shared/helpers/createSlidingWindowBudget.js';

beforeEach(() => vi.useFakeTimers({ now: 0 }));
afterEach(() => vi.useRealTimers());

/** The system clock (faked), recording how long each wait was set for. */
function recordingClock(waits: number[]): WindowClock {
  return { nowMs: systemClock.nowMs, after: (ms, wake) => (waits.push(ms), systemClock.after(ms, wake)) };
}

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

  // Graph's pacing (createPageFetcher's `pacer`): 150 keyCredentials reads a minute, a 429 not counted.
  it('lets `limit` requests through at once, then one each time the oldest leaves the window', async () => {
    const waits: number[] = [];
    const budget = createSlidingWindowBudget(3, 60_000, recordingClock(waits));
    const sentAt: number[] = [];
    const sequence = (async () => {
      for (let i = 0; i < 7; i += 1) {
        const release = await budget.take();
        sentAt.push(Date.now());
        await new Promise((answered) => setTimeout(answered, 100)); // the answer arrives 100 ms later
        release();
      }
    })();
    await vi.advanceTimersByTimeAsync(130_000);
    await sequence;
    expect(sentAt).toEqual([0, 100, 200, 60_101, 60_201, 60_301, 120_202]);
    expect(waits).toEqual([59_801, 59_801]);
  });

  it('counts requests still unanswered against the window, and gives a refused one its place back', async () => {
    const budget = createSlidingWindowBudget(3, 60_000);
    // Two readers (a tenant's two collections) and a prefetch: three requests sent before any answer.
    const sent = [await budget.take(), await budget.take(), await budget.take()];
    let fourthSentAt: number | undefined;
    const fourth = budget.take().then((release) => ((fourthSentAt = Date.now()), release));
    await vi.advanceTimersByTimeAsync(250);
    expect(fourthSentAt).toBeUndefined();
    sent[0]!();
    sent[1]!();
    sent[2]!({ counted: false }); // a 429: Graph did not count it, so its place is free again
    await fourth;
    expect(fourthSentAt).toBe(250);
    // The window now holds two admitted and one unanswered: a fifth waits for the oldest to leave.
    let fifthSentAt: number | undefined;
    const fifth = budget.take().then(() => (fifthSentAt = Date.now()));
    await vi.advanceTimersByTimeAsync(61_000);
    await fifth;
    expect(fifthSentAt).toBe(60_251);
  });

  it('leaves no timer behind once an answer, not time, made room for the request waiting', async () => {
    const budget = createSlidingWindowBudget(2, 60_000);
    const first = await budget.take();
    const second = await budget.take();
    await vi.advanceTimersByTimeAsync(100);
    first(); // in the window until 60,100 ms
    let third: (() => void) | undefined;
    const waiting = budget.take().then((release) => (third = release));
    await vi.advanceTimersByTimeAsync(100);
    expect(third).toBeUndefined();
    second({ counted: false }); // a 429 gives its place to the request waiting, long before the window moves
    await waiting;
    third!();
    expect(Date.now()).toBe(200);
    expect(vi.getTimerCount()).toBe(0);
  });
});
