import { describe, expect, it } from 'vitest';
import { scanStateSchema } from '../../../shared/scanner/scanStateSchema.js';

describe("the scan state's usage report size", () => {
  it('reads a state stored before it was kept as not known, and a kept size back as it was', () => {
    const before = scanStateSchema.parse({ tenantId: 't', findingsLayout: 2 });
    expect(before.usageReport).toBeUndefined();
    expect(scanStateSchema.parse({ tenantId: 't', usageReport: { pages: 3, more: true } }).usageReport).toEqual({ pages: 3, more: true });
  });

  it('forgets a size that no read could have seen, and keeps the rest of the state', () => {
    for (const usageReport of [{ pages: 0, more: false }, { pages: 1.5, more: false }, 'three']) {
      const state = scanStateSchema.parse({ tenantId: 't', lastFullScanAt: '2026-12-01T00:00:00Z', usageReport });
      expect(state).toEqual({ tenantId: 't', lastFullScanAt: '2026-12-01T00:00:00Z', usageReport: undefined });
    }
  });
});
