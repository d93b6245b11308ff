import { describe, expect, it } from 'vitest';
import { toMeasurement } from '../../bench/ScanMeasurement.js';

describe("a scan measurement's limits floor", () => {
  it('is worked out from the fewest requests, so a wasteful scan cannot raise its own floor', () => {
    // 8,000 requests made in one tenant would need two 10 s windows of Graph's 3,500 resource units; the
    // fewest, 3,000 with 100 directory pages, fit in the first window and under the 150 a minute.
    const stats = {
      requests: 8_000,
      throttled: 0,
      perTenant: [8_000],
      entra: { tokenPosts: 1, metadataGets: 0, other: 0 },
      cpuSeconds: 0,
      reportRows: 1,
    };
    const run = {
      minimum: 3_000,
      minimumHow: 'fewest',
      fewestPerTenant: [3_000],
      directoryPages: [100],
      wallMs: 1_000,
      floor: { ms: 900, how: 'latency' },
      memory: { rssMb: 10, heapMb: 5 },
      idle: 5,
      findings: 0,
      apps: 100_000,
    };
    const measured = toMeasurement('first', 'wasteful', stats, run);
    expect(measured.limitFloorMs).toBe(0);
    expect(toMeasurement('first', 'fewest past a window', stats, { ...run, fewestPerTenant: [3_501] }).limitFloorMs).toBe(10_000);
  });
});
