import { describe, expect, it } from 'vitest';
import type { IntelligenceContext } from '../../../shared/intelligence/ScanIntelligence.js';
import { freshIntelligence } from '../../../shared/scanner/freshIntelligence.js';
import { NOW, policy } from './scannerFixtures.js';

const context: IntelligenceContext = {
  policies: { kind: 'unavailable', reason: 'Vigil may not read the policies' },
  federatedApps: new Set(),
  federatedUnknown: 'Graph refused',
};
const readAt = (hoursAgo: number) => ({ readAt: NOW.minus({ hours: hoursAgo }).toISO()!, context });

describe('freshIntelligence', () => {
  it.each([
    ['nothing kept (a row from an older version)', undefined, undefined],
    ['read 2 hours ago', readAt(2), context],
    ['read 23 h 59 min ago', readAt(23 + 59 / 60), context],
    ['read 24 hours ago: as old as the full-scan interval', readAt(24), undefined],
    ['read 30 hours ago (the full read failed since)', readAt(30), undefined],
    ['read "in an hour" (a clock moved back)', readAt(-1), undefined],
    ['a time that is not one', { readAt: 'yesterday', context }, undefined],
  ])('%s', (_name, kept, expected) => {
    expect(policy.fullScanEveryHours).toBe(24);
    expect(freshIntelligence(kept, policy, NOW)).toBe(expected);
  });

  it('keeps "could not check" as it was read: the unknown federated apps and policies, with their reasons', () => {
    expect(freshIntelligence(readAt(1), policy, NOW)).toMatchObject({
      policies: { kind: 'unavailable', reason: 'Vigil may not read the policies' },
      federatedUnknown: 'Graph refused',
    });
  });
});
