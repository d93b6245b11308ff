import { describe, expect, it } from 'vitest';
import { credentialRulesOf } from '../../../shared/intelligence/AppPolicy.js';
import { judgeUsage, type UsageEvidence } from '../../../shared/intelligence/CredentialUsage.js';
import { judgeHygiene, type HygieneContext } from '../../../shared/intelligence/judgeHygiene.js';
import type { CredentialFacts } from '../../../shared/scanner/Finding.js';

const DAY = 86_400_000;
const now = Date.parse('2026-12-01T00:00:00Z');
const daysAgo = (d: number) => new Date(now - d * DAY).toISOString();
const read = (entries: Record<string, string | null>): UsageEvidence => ({
  kind: 'read',
  byKeyId: new Map(Object.entries(entries).map(([keyId, lastSignIn]) => [keyId, { keyId, lastSignIn, resourceId: null }])),
});

describe('judgeUsage', () => {
  it('calls a credential unused only on the report’s evidence, never for want of it', () => {
    expect(judgeUsage({ keyId: 'k', startDateTime: daysAgo(100) }, read({ k: daysAgo(3) }), 30, now)).toEqual({
      kind: 'used',
      lastSignIn: daysAgo(3),
    });
    expect(judgeUsage({ keyId: 'k', startDateTime: daysAgo(100) }, read({ k: daysAgo(45) }), 30, now)).toMatchObject({
      kind: 'unused',
      unusedDays: 45,
    });
    expect(judgeUsage({ keyId: 'k', startDateTime: daysAgo(100) }, read({}), 30, now)).toMatchObject({ kind: 'unused', lastSignIn: null });
    // Too young for the report to speak of it, or of unknown age: not evidence either way.
    expect(judgeUsage({ keyId: 'k', startDateTime: daysAgo(5) }, read({}), 30, now)).toMatchObject({ kind: 'unknown' });
    expect(judgeUsage({ keyId: 'k', startDateTime: null }, read({}), 30, now)).toMatchObject({ kind: 'unknown' });
    expect(
      judgeUsage({ keyId: 'k', startDateTime: daysAgo(100) }, { kind: 'unavailable', reason: 'no P1 or P2 licence' }, 30, now),
    ).toEqual({ kind: 'unknown', reason: 'no P1 or P2 licence' });
  });
});

describe('credentialRulesOf', () => {
  const policy = {
    name: 'Ninety days',
    passwordCredentials: [
      {
        restrictionType: 'passwordLifetime',
        maxLifetime: 'P90D',
        restrictForAppsCreatedAfterDateTime: '2026-01-01T00:00:00Z',
        state: 'enabled' as const,
      },
      { restrictionType: 'passwordAddition', maxLifetime: null, restrictForAppsCreatedAfterDateTime: null, state: 'disabled' as const },
    ],
    keyCredentials: [],
  };
  it('spares apps registered before the restriction, and ignores disabled restrictions', () => {
    expect(credentialRulesOf(policy, '2026-06-01T00:00:00Z')).toEqual({
      passwordAdditionBlockedBy: null,
      passwordMaxLifetime: { days: 90, policy: 'Ninety days' },
      certificateMaxLifetime: null,
    });
    expect(credentialRulesOf(policy, '2025-06-01T00:00:00Z').passwordMaxLifetime).toBeNull();
  });
});

describe('judgeHygiene', () => {
  const secret = (keyId: string, startDaysAgo: number, endsInDays: number): CredentialFacts => ({
    tenantId: 't',
    subjectKind: 'application',
    objectId: 'o',
    appId: 'a',
    subjectName: 'App',
    keyId,
    credentialType: 'password',
    credentialName: keyId,
    startDateTime: daysAgo(startDaysAgo),
    endDateTime: new Date(now + endsInDays * DAY).toISOString(),
    outlivedBy: null,
    vaultCopy: null,
    portalUrl: 'https://portal',
    federated: false,
  });
  const context: HygieneContext = {
    policies: { kind: 'read', tenantDefault: null, byObjectId: new Map() },
    federatedApps: new Set(),
    secretMaxLifetimeDays: 180,
  };
  const app = { kind: 'application' as const, id: 'o', displayName: 'App', createdDateTime: null };
  const checks = (items: ReadonlyMap<string, Array<{ check: string }>>) =>
    Object.fromEntries([...items].map(([k, v]) => [k, v.map((i) => i.check)]));

  it('flags the oldest of more than two active secrets, and lifetimes only on apps Vigil watches', () => {
    const secrets = [secret('a', 10, 5), secret('b', 10, 100), secret('c', 100, 200)];
    expect(checks(judgeHygiene(app, secrets, context, { watched: false, nowMs: now }))).toEqual({ a: ['tooManySecrets'] });
    expect(checks(judgeHygiene(app, secrets, context, { watched: true, nowMs: now }))).toEqual({
      a: ['tooManySecrets'],
      c: ['lifetimeOverMaximum'],
    });
  });

  it('names a secret kept beside a federated credential, and leaves service principals to expiry alone', () => {
    const federated = { ...context, federatedApps: new Set(['o']) };
    expect(checks(judgeHygiene(app, [secret('a', 10, 50)], federated, { watched: false, nowMs: now }))).toEqual({
      a: ['besideFederatedCredential'],
    });
    expect(judgeHygiene({ ...app, kind: 'servicePrincipal' }, [secret('a', 10, 50)], federated, { watched: true, nowMs: now }).size).toBe(
      0,
    );
  });
});
