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
});
