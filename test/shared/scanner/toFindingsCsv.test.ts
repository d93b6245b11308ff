import { describe, expect, it } from 'vitest';
import { findingIdOf } from '../../../shared/notifications/findingOf.js';
import { evaluateCredential } from '../../../shared/scanner/evaluateCredential.js';
import { toFindingRows } from '../../../shared/scanner/toFindingRows.js';
import { toFindingsCsv } from '../../../shared/scanner/toFindingsCsv.js';
import { NOW, facts, inDays, policy } from './scannerFixtures.js';

const finding = (name: string, days: number) =>
  evaluateCredential(facts({ subjectName: name, objectId: name, endDateTime: inDays(days) }), policy, NOW)!;

describe('findings as rows and CSV', () => {
  it('keeps the order given (the store sorts) and gives each row the finding id its events carry', () => {
    const [late, soon] = [finding('b', 20), finding('a', 2)];
    const rows = toFindingRows([late, soon], () => 'Contoso');
    expect(rows.map((r) => [r.subject, r.severity, r.daysLeft])).toEqual([
      ['b', 'medium', 20],
      ['a', 'critical', 2],
    ]);
    expect(rows[1]!.id).toBe(findingIdOf(`credential|${soon.tenantId}|${soon.objectId}|${soon.keyId}`));
  });

  it('quotes commas and quotes, defuses formulas, and ends with a could-not-check row per unscanned tenant', () => {
    const rows = toFindingRows([finding('=HYPERLINK("x"), Inc', 10)], () => 'Contoso');
    const csv = toFindingsCsv(rows, [
      {
        tenantId: 't2',
        tenantName: 'Fabrikam',
        reason: 'HTTP 403',
        missingPermission: 'Application.Read.All',
        since: '2026-11-23T00:00:00Z',
      },
    ]);
    const lines = csv.split('\r\n');
    expect(lines[1]).toContain(`,"'=HYPERLINK(""x""), Inc",`);
    expect(lines[1]!.startsWith('expiring,high,Contoso,t1,')).toBe(true);
    expect(lines[2]).toBe(
      'could-not-check,high,Fabrikam,t2,,,,,,,,,,,,,,,,,,,,HTTP 403; missing permission Application.Read.All; since 2026-11-23T00:00:00Z',
    );
    expect(lines[3]).toBe('');
  });
});
