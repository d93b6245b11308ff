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

describe("the scan state's count of the tenant's applications", () => {
  it('keeps the last full read’s count, reads a state stored before it as not known, and forgets a count no read could give', () => {
    expect(scanStateSchema.parse({ tenantId: 't', tenantApplications: 10_000 }).tenantApplications).toBe(10_000);
    expect(scanStateSchema.parse({ tenantId: 't', findingsLayout: 2 }).tenantApplications).toBeUndefined();
    for (const tenantApplications of [-1, 2.5, 'many']) {
      const state = scanStateSchema.parse({ tenantId: 't', usageReport: { pages: 2, more: false }, tenantApplications });
      expect(state).toEqual({ tenantId: 't', usageReport: { pages: 2, more: false }, tenantApplications: undefined });
    }
  });
});
