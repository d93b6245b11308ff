import { describe, expect, it } from 'vitest';
import { evaluateCredential } from '../../../shared/scanner/evaluateCredential.js';
import { countFinding, noCounts } from '../../../shared/scanner/tallyFindings.js';
import { facts, NOW, policy } from './scannerFixtures.js';

describe('the counts of findings ending by day', () => {
  it.each([
    ['2026-11-23T23:59:59Z', '2026-11-23'],
    ['2026-11-23T23:59:59.9999999Z', '2026-11-23'],
    ['2026-11-23T23:30:00-02:00', '2026-11-24'],
    ['2026-11-24T00:30:00+01:00', '2026-11-23'],
    ['2026-11-24T00:30:00.000+01:00', '2026-11-23'],
  ])("count a credential ending %s on the UTC day %s (the status page's timeline)", (instant, day) => {
    const counts = noCounts();
    countFinding(counts, evaluateCredential(facts({ endDateTime: instant }), policy, NOW)!);
    expect(counts.endingByDay).toEqual({ [day]: 1 });
  });
});
