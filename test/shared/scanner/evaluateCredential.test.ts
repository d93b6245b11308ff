import { describe, expect, it } from 'vitest';
import { crossedThreshold, daysLeftUntil, evaluateCredential, expiringSeverity } from '../../../shared/scanner/evaluateCredential.js';
import { NOW, facts, inDays, policy } from './scannerFixtures.js';

describe('the ladder', () => {
  it.each([
    [90, undefined],
    [61, undefined],
    [60, 60],
    [45, 60],
    [30, 30],
    [20, 30],
    [10, 14],
    [5, 7],
    [2, 3],
    [1, 1],
  ])('%i days left crosses %s', (days, threshold) => expect(crossedThreshold(days, policy.thresholdsDays)).toBe(threshold));

  it('rounds days left up while valid and counts whole days since once expired, never 0 ("today") past the end', () => {
    expect(daysLeftUntil(NOW.plus({ days: 9, hours: 23 }).toISO()!, NOW)).toBe(10);
    expect(daysLeftUntil(NOW.plus({ minutes: 1 }).toISO()!, NOW)).toBe(1);
    expect(daysLeftUntil(NOW.minus({ minutes: 1 }).toISO()!, NOW)).toBe(-1);
    expect(daysLeftUntil(NOW.toISO()!, NOW)).toBe(-1);
    expect(daysLeftUntil(NOW.minus({ days: 1, hours: 3 }).toISO()!, NOW)).toBe(-1);
    expect(daysLeftUntil(NOW.minus({ days: 12, hours: 3 }).toISO()!, NOW)).toBe(-12);
  });

  it.each([
    [60, false, 'low'],
    [30, false, 'medium'],
    [14, false, 'high'],
    [7, false, 'high'],
    [3, false, 'critical'],
    [1, false, 'critical'],
    [1, true, 'low'],
  ] as const)('threshold %i with overlap %s is %s', (threshold, overlap, severity) =>
    expect(expiringSeverity(threshold, overlap)).toBe(severity),
  );
});

describe('evaluateCredential', () => {
  const judge = (days: number, extra: Parameters<typeof facts>[0] = {}) =>
    evaluateCredential(facts({ endDateTime: inDays(days), ...extra }), policy, NOW);
  const newer = { keyId: 'key-new', endDateTime: inDays(200) };

  it.each([
    [90, undefined],
    [45, { status: 'expiring', daysLeft: 45, threshold: 60, severity: 'low', overlap: false }],
    [20, { status: 'expiring', daysLeft: 20, threshold: 30, severity: 'medium', overlap: false }],
    [10, { status: 'expiring', daysLeft: 10, threshold: 14, severity: 'high', overlap: false }],
    [5, { status: 'expiring', daysLeft: 5, threshold: 7, severity: 'high', overlap: false }],
    [2, { status: 'expiring', daysLeft: 2, threshold: 3, severity: 'critical', overlap: false }],
    [-12, { status: 'expired', daysLeft: -12, threshold: 0, severity: 'critical', overlap: false }],
    [-45, { status: 'expired', daysLeft: -45, threshold: 0, severity: 'medium', overlap: false }],
  ] as const)('the last credential with %i days left', (days, expected) => {
    const finding = judge(days);
    if (expected === undefined) expect(finding).toBeUndefined();
    else expect(finding).toMatchObject({ ...expected, vaultCopyStale: false });
  });

  it.each([
    [10, { status: 'expiring', threshold: 14, severity: 'low', overlap: true }],
    [-12, { status: 'expired', threshold: 0, severity: 'low', overlap: true }],
    [-30, { status: 'expired', threshold: 0, severity: 'low', overlap: true }],
    [-31, { status: 'stale', threshold: 0, severity: 'info', overlap: true }],
  ] as const)('with a newer valid credential, %i days left', (days, expected) =>
    expect(judge(days, { outlivedBy: newer })).toMatchObject(expected),
  );

  it('keeps a long-expired credential stale once the newer one that replaced it has lapsed too', () => {
    // The newer one's own finding says it lapsed and nothing replaced it; this one is still a leftover.
    expect(judge(-40, { outlivedBy: { keyId: 'k', endDateTime: inDays(-1) } })).toMatchObject({
      status: 'stale',
      overlap: true,
      severity: 'info',
    });
    expect(judge(-12, { outlivedBy: { keyId: 'k', endDateTime: inDays(-1) } })).toMatchObject({
      status: 'expired',
      overlap: true,
      severity: 'low',
    });
  });

  it('cancels the overlap while a vault copy still holds the old credential, and calls the copy stale', () => {
    const copy = { vaultUrl: 'https://v', secretName: 'creatio-client-secret' };
    expect(judge(10, { outlivedBy: newer, vaultCopy: copy })).toMatchObject({ overlap: false, vaultCopyStale: true, severity: 'high' });
    expect(judge(10, { vaultCopy: copy })).toMatchObject({ overlap: false, vaultCopyStale: false, severity: 'high' });
    expect(judge(-2, { vaultCopy: copy })).toMatchObject({ status: 'expired', vaultCopyStale: true, severity: 'critical' });
  });

  it('carries every fact over, then its verdict, in the order stored rows have always held them (a row is the finding as JSON)', () => {
    const judged = facts({
      endDateTime: inDays(-3),
      outlivedBy: newer,
      vaultCopy: { vaultUrl: 'https://v.vault.azure.net', secretName: 's' },
    });
    const finding = evaluateCredential(judged, policy, NOW)!;
    expect(finding).toMatchObject(judged);
    const verdict = ['daysLeft', 'overlap', 'vaultCopyStale', 'usage', 'advice', 'impact', 'hygiene', 'status', 'threshold', 'severity'];
    expect(Object.keys(finding)).toEqual([...Object.keys(judged), ...verdict]);
  });

  it('follows a configured ladder', () => {
    expect(evaluateCredential(facts({ endDateTime: inDays(80) }), { ...policy, thresholdsDays: [90, 10] }, NOW)).toMatchObject({
      threshold: 90,
      severity: 'low',
    });
    expect(evaluateCredential(facts({ endDateTime: inDays(45) }), { ...policy, thresholdsDays: [30] }, NOW)).toBeUndefined();
  });
});
