import { describe, expect, it } from 'vitest';
import { refreshLatencyFloor } from '../../bench/minimumRequests.js';

describe('the refresh latency floor', () => {
  it("runs every refresh at its own chain through the host's queue listener: batches of 16 at least a chain apart, not 24 at once", () => {
    // 10,000 refreshes, one in seven a write-back, 10 apps; probes 160 ms, write-backs 190 ms.
    const floor = refreshLatencyFloor({ connections: 10_000, writeBacks: 1_429, apps: 10 }, { keyvault: 30, entra: 100 });
    // 24 at once would allow (8,571 × 160 + 1,429 × 190 + 10 × 30) ÷ 24 + 30 ms = 68.5 s; the listener asks for a
    // batch only once 8 of the last one have ended, so 625 batches cannot take less than 625 × 160 ms.
    expect(floor.seconds).toBeGreaterThanOrEqual((30 + 625 * 160) / 1000);
    expect(floor.seconds).toBeLessThanOrEqual((30 + 625 * 190 + 30) / 1000);
    expect(floor.how).toContain('625 batches, at most 24 at once');
    expect(floor.how).toContain('1429 write-backs × 190 ms');
  });

  it('is one chain for a single refresh: the list page, the client secret, then read, redeem and write back', () => {
    expect(refreshLatencyFloor({ connections: 1, writeBacks: 1, apps: 1 }, { keyvault: 30, entra: 100 }).seconds).toBe(0.25);
  });
});
