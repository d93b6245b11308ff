import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock, type WindowClock } from '../../../../shared/helpers/createSlidingWindowBudget.js';
import { createRequestPacer } from '../../../../shared/adapters/graph/requestPacer.js';

beforeEach(() => vi.useFakeTimers({ now: 0 }));
afterEach(() => vi.useRealTimers());

/** The system clock (faked), recording how long each wait was set for. */
function recordingClock(waits: number[]): WindowClock {
  return { nowMs: systemClock.nowMs, after: (ms, wake) => (waits.push(ms), systemClock.after(ms, wake)) };
}

describe('createRequestPacer', () => {
  it('lets `limit` requests through at once, then one each time the oldest leaves the window', async () => {
    const waits: number[] = [];
    const pacer = createRequestPacer({ limit: 3, windowMs: 60_000, clock: recordingClock(waits) });
    const sentAt: number[] = [];
    const sequence = (async () => {
      for (let i = 0; i < 7; i += 1) {
        const release = await pacer.take();
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
    const pacer = createRequestPacer({ limit: 3, windowMs: 60_000 });
    // Two readers (a tenant's two collections) and a prefetch: three requests sent before any answer.
    const sent = [await pacer.take(), await pacer.take(), await pacer.take()];
    let fourthSentAt: number | undefined;
    const fourth = pacer.take().then((release) => ((fourthSentAt = Date.now()), release));
    await vi.advanceTimersByTimeAsync(250);
    expect(fourthSentAt).toBeUndefined();
    sent[0]!();
    sent[1]!();
    sent[2]!({ counted: false }); // a 429: Graph did not count it, so its place is free again
    await fourth;
    expect(fourthSentAt).toBe(250);
    // The window now holds two admitted and one unanswered: a fifth waits for the oldest to leave.
    let fifthSentAt: number | undefined;
    const fifth = pacer.take().then(() => (fifthSentAt = Date.now()));
    await vi.advanceTimersByTimeAsync(61_000);
    await fifth;
    expect(fifthSentAt).toBe(60_251);
  });

  it('leaves no timer behind once an answer, not time, made room for the request waiting', async () => {
    const pacer = createRequestPacer({ limit: 2, windowMs: 60_000 });
    const first = await pacer.take();
    const second = await pacer.take();
    await vi.advanceTimersByTimeAsync(100);
    first(); // in the window until 60,100 ms
    let third: (() => void) | undefined;
    const waiting = pacer.take().then((release) => (third = release));
    await vi.advanceTimersByTimeAsync(100);
    expect(third).toBeUndefined();
    second({ counted: false }); // a 429 gives its place to the request waiting, long before the window moves
    await waiting;
    third!();
    expect(Date.now()).toBe(200);
    expect(vi.getTimerCount()).toBe(0);
  });
});
