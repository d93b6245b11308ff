import { describe, expect, it } from 'vitest';
import type { FindingItem, UnscannedItem } from '../../../cli/apiSchemas.js';
import { toFindingLines } from '../../../cli/format/toFindingLines.js';

const finding = (over: Partial<FindingItem>): FindingItem => ({
  id: 'f-2c1b5e8a7d9f0e3c4b6a',
  tenantId: 't1',
  tenantName: 'Contoso',
  subject: 'Parcel Tracker',
  subjectKind: 'application',
  appId: 'a1',
  keyId: 'k1',
  vaultCopy: null,
  credentialType: 'password',
  credentialName: 'prod',
  endDateTime: '2026-12-06T00:00:00Z',
  daysLeft: 2,
  status: 'expiring',
  severity: 'critical',
  ...over,
});
const fabrikam: UnscannedItem = {
  tenantId: 'b0b0b0b0-0000-4000-8000-000000000000',
  tenantName: 'Fabrikam',
  reason: 'Vigil lacks Application.Read.All',
  missingPermission: 'Application.Read.All',
  since: '2026-12-01T08:30:00.000Z',
};

describe('toFindingLines', () => {
  it('shows days left, severity, status, tenant, finding id and what the credential is', () => {
    const expired = finding({
      id: 'f-000000000000000000ff',
      daysLeft: -3,
      status: 'expired',
      severity: 'low',
      credentialType: 'certificate',
      credentialName: null,
      subject: 'Courier',
    });
    expect(toFindingLines([finding({}), expired], [])).toEqual([
      'DAYS LEFT  SEVERITY  STATUS    TENANT   FINDING                 NAME',
      '        2  critical  expiring  Contoso  f-2c1b5e8a7d9f0e3c4b6a  Parcel Tracker — client secret "prod" (ends 2026-12-06)',
      '       -3  low       expired   Contoso  f-000000000000000000ff  Courier — certificate (ends 2026-12-06)',
    ]);
  });

  it('never lets an empty list read as all clear: the tenants not checked follow, with why', () => {
    expect(toFindingLines([], [fabrikam])).toEqual([
      'No findings match.',
      '',
      'COULD NOT CHECK 1 tenant(s); their findings are not above:',
      '  Fabrikam (b0b0b0b0-0000-4000-8000-000000000000) since 2026-12-01 08:30Z: Vigil lacks Application.Read.All (missing Application.Read.All)',
    ]);
  });
});
