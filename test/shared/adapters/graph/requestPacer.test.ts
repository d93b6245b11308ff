import { describe, expect, it } from 'vitest';
import { createRequestPacer } from '../../../../shared/adapters/graph/requestPacer.js';

describe('createRequestPacer', () => {
  it('lets `limit` requests through at once, then one each time the oldest leaves the window', async () => {
    let now = 0;
    const waits: number[] = [];
    const pacer = createRequestPacer({
      limit: 3,
      windowMs: 60_000,
      nowMs: () => now,
      sleep: async (ms) => void (waits.push(ms), (now += ms)),
    });
    const sentAt: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      await pacer.beforeRequest();
      sentAt.push(now);
      now += 100; // the answer arrives 100 ms later
      pacer.admitted();
    }
    expect(sentAt).toEqual([0, 100, 200, 60_101, 60_201, 60_301, 120_202]);
    expect(waits).toEqual([59_801, 59_801]);
  });

  it('counts requests still unanswered against the window, and gives a refused one its place back', async () => {
    let now = 0;
    const pacer = createRequestPacer({ limit: 3, windowMs: 60_000, nowMs: () => now, sleep: async (ms) => void (now += ms) });
    // Two readers (a tenant's two collections) and a prefetch: three requests sent before any answer.
    for (let i = 0; i < 3; i += 1) await pacer.beforeRequest();
    let fourthSentAt: number | undefined;
    const fourth = pacer.beforeRequest().then(() => (fourthSentAt = now));
    await Promise.resolve();
    expect(fourthSentAt).toBeUndefined();
    now = 250;
    pacer.admitted();
    pacer.admitted();
    pacer.released(); // a 429: Graph did not count it, so its place is free again
    await fourth;
    expect(fourthSentAt).toBe(250);
    // The window now holds two admitted and one unanswered: a fifth waits for the oldest to leave.
    await pacer.beforeRequest();
    expect(now).toBe(60_251);
  });
});
