import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromKeptIntelligenceColumn, toKeptIntelligenceColumn } from '../../../../shared/adapters/storage/keptIntelligenceColumn.js';
import type { PolicyRestrictions } from '../../../../shared/intelligence/AppPolicy.js';
import type { KeptIntelligence } from '../../../../shared/intelligence/ScanIntelligence.js';

/** The bound docs/deploy.md states: a tenant with more than 1,000 federated or policy-assigned apps keeps none. */
const KEPT_IDS_BOUND = 1_000;

const ninetyDays: PolicyRestrictions = {
  name: 'app management policy "Ninety-day secrets"',
  passwordCredentials: [
    { restrictionType: 'passwordLifetime', maxLifetime: 'P90D', restrictForAppsCreatedAfterDateTime: null, state: 'enabled' },
  ],
  keyCredentials: [],
};
const tenantDefault: PolicyRestrictions = {
  name: "the tenant's default app management policy",
  passwordCredentials: [],
  keyCredentials: [
    {
      restrictionType: 'asymmetricKeyLifetime',
      maxLifetime: 'P1Y',
      restrictForAppsCreatedAfterDateTime: '2025-01-01T00:00:00Z',
      state: 'disabled',
    },
  ],
};
const ids = (n: number) => Array.from({ length: n }, () => randomUUID());
const kept = (federated: string[], assigned: string[]): KeptIntelligence => ({
  readAt: '2026-12-05T00:00:00.000Z',
  context: {
    policies: { kind: 'read', tenantDefault, byObjectId: new Map(assigned.map((id) => [id, ninetyDays])) },
    federatedApps: new Set(federated),
  },
});

describe('the kept intelligence column', () => {
  it('gives back the policies, whom each applies to, and the federated apps, as they were read', () => {
    const original = kept(ids(3), ids(2));
    const back = fromKeptIntelligenceColumn(toKeptIntelligenceColumn(original));
    expect(back).toEqual(original);
  });

  it('keeps "could not check" with its reasons: unreadable policies and unknown federated apps stay unknown', () => {
    const unknown: KeptIntelligence = {
      readAt: '2026-12-05T00:00:00.000Z',
      context: {
        policies: {
          kind: 'unavailable',
          reason: 'Vigil may not read the policies (grant Policy.Read.All)',
          missingPermission: 'Policy.Read.All',
        },
        federatedApps: new Set(),
        federatedUnknown: 'Graph answered 503',
      },
    };
    expect(fromKeptIntelligenceColumn(toKeptIntelligenceColumn(unknown))).toEqual(unknown);
  });

  it(`stores each id in 22 characters, and keeps up to ${KEPT_IDS_BOUND} of them within a column's 32,768 characters`, () => {
    const column = toKeptIntelligenceColumn(kept(ids(KEPT_IDS_BOUND - 10), ids(10)));
    expect(column.length).toBeGreaterThan(22 * KEPT_IDS_BOUND);
    expect(column.length).toBeLessThan(32_768);
    expect(fromKeptIntelligenceColumn(column)?.context.federatedApps.size).toBe(KEPT_IDS_BOUND - 10);
  });

  it('keeps nothing over the bound or with an id that is not a GUID: the next delta reads them afresh', () => {
    expect(toKeptIntelligenceColumn(kept(ids(KEPT_IDS_BOUND), ids(1)))).toBe('');
    expect(toKeptIntelligenceColumn(kept(['not-a-guid'], []))).toBe('');
    expect(toKeptIntelligenceColumn(undefined)).toBe('');
  });

  it('reads nothing from a row of an older version or a damaged column', () => {
    expect(fromKeptIntelligenceColumn(undefined)).toBeUndefined();
    expect(fromKeptIntelligenceColumn('')).toBeUndefined();
    expect(fromKeptIntelligenceColumn('{"readAt":"x","policies":{"kind":"read"},"federatedApps":"abc"}')).toBeUndefined();
  });
});
