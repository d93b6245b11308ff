import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { DashboardSources } from '../../../shared/dashboard/DashboardSources.js';
import { loadDashboardView, MOST_URGENT } from '../../../shared/dashboard/loadDashboardView.js';
import type { Rotation } from '../../../shared/rotation/Rotation.js';
import type { Finding } from '../../../shared/scanner/Finding.js';

const now = DateTime.fromISO('2026-11-23T08:00:00Z', { zone: 'utc' });
const finding = (over: Partial<Finding>): Finding => ({
  tenantId: 't1',
  subjectKind: 'application',
  objectId: 'o1',
  appId: 'a1',
  subjectName: 'Creatio CRM',
  keyId: 'k1',
  credentialType: 'password',
  credentialName: 'prod',
  startDateTime: null,
  endDateTime: '2026-12-03T00:00:00Z',
  outlivedBy: null,
  vaultCopy: null,
  portalUrl: 'https://portal.azure.com/x',
  federated: false,
  usage: null,
  advice: null,
  impact: null,
  hygiene: [],
  status: 'expiring',
  daysLeft: 10,
  threshold: 14,
  severity: 'high',
  overlap: false,
  vaultCopyStale: false,
  ...over,
});
const sources = (over: Partial<DashboardSources> = {}): DashboardSources => ({
  tenants: [
    { id: 't1', name: 'Contoso', owner: 'ops@contoso.com' },
    { id: 't2', name: 'Fabrikam' },
  ],
  vaultUrls: ['https://kv'],
  // The store filters and orders (findingTable's tests); this one filters as it does.
  findings: async (query, limit) => {
    const all = [finding({}), finding({ tenantId: 't2', objectId: 'o2', subjectName: 'Fabrikam app', severity: 'low', daysLeft: 50 })];
    const found = all.filter(
      (f) => (!query.tenantId || f.tenantId === query.tenantId) && (!query.severities || query.severities.includes(f.severity)),
    );
    return { findings: found.slice(0, limit), more: found.length > limit };
  },
  scanStates: async () => [
    {
      tenantId: 't1',
      lastSuccessAt: '2026-11-23T07:00:00Z',
      lastScan: {
        at: '2026-11-23T07:00:00Z',
        mode: 'full',
        applications: 4000,
        servicePrincipals: 4600,
        findings: 3210,
        durationMs: 9000,
        counts: {
          bySeverity: { critical: 10, high: 200, medium: 1000, low: 2000, info: 0 },
          endingByDay: { '2026-11-24': 3, '2026-12-03': 5, '2027-06-01': 7 },
        },
      },
    },
    {
      tenantId: 't2',
      failingSince: '2026-11-20T00:00:00Z',
      failure: { code: 'forbidden', reason: 'Graph refused', missingPermission: 'Application.Read.All' },
    },
  ],
  connections: async () => [],
  vaultHealth: async () => [],
  openRotations: async () => [],
  failedRotations: async () => [
    {
      id: 'rot-1',
      application: { displayName: 'Cerb', appId: 'a', objectId: 'o' },
      step: 'failed',
      updatedAt: '2026-11-22T00:00:00Z',
    } as Rotation,
  ],
  snoozed: async () => [],
  deliveries: async () => [],
  poisonDepth: async () => 2,
  signInLinks: true,
  ...over,
});

describe('loadDashboardView', () => {
  it('reports an unscannable tenant as failed with the missing permission, and shows failed rotations', async () => {
    const view = await loadDashboardView(sources(), {}, now);
    expect(view.health.find((h) => h.name === 'Fabrikam')).toMatchObject({
      status: 'failed',
      detail: 'Graph refused (missing Application.Read.All)',
      failingSince: '2026-11-20T00:00:00Z',
    });
    expect(view.rotations).toEqual([{ id: 'rot-1', app: 'Cerb', status: 'failed', step: 'failed', updatedAt: '2026-11-22T00:00:00Z' }]);
    expect(view.credentials.find((c) => c.app === 'Creatio CRM')?.owner).toBe('ops@contoso.com');
    expect(view.poisonDepth).toBe(2);
  });

  it('counts findings per tenant and severity from the last scans and lists only the most urgent', async () => {
    const asked: number[] = [];
    const view = await loadDashboardView(
      sources({
        findings: async (_query, limit) => (asked.push(limit), { findings: [finding({})], more: true }),
      }),
      {},
      now,
    );
    // The most urgent credentials, and apart the hygiene items to tidy up: each read bounded.
    expect(asked).toEqual([MOST_URGENT, MOST_URGENT]);
    expect(view.moreCredentials).toBe(true);
    expect(view.counts).toEqual({
      bySeverity: { critical: 10, high: 200, medium: 1000, low: 2000, info: 0 },
      byTenant: [{ id: 't1', name: 'Contoso', bySeverity: { critical: 10, high: 200, medium: 1000, low: 2000, info: 0 } }],
      uncounted: ['Fabrikam'],
    });
    expect(view.endingByWeek.slice(0, 3)).toEqual([3, 5, 0]);
    expect(view.endingByWeek.reduce((a, b) => a + b)).toBe(8);
  });

  it('turns a source that cannot be read into a health failure instead of an empty section', async () => {
    const view = await loadDashboardView(sources({ findings: () => Promise.reject(new Error('HTTP 503 ServerBusy')) }), {}, now);
    expect(view.health[0]).toMatchObject({ status: 'failed', detail: 'could not read: HTTP 503 ServerBusy' });
  });

  it('filters by tenant and minimum severity, and leaves snoozed credentials out of needs action', async () => {
    expect((await loadDashboardView(sources(), { tenant: 't2' }, now)).credentials.map((c) => c.app)).toEqual(['Fabrikam app']);
    expect((await loadDashboardView(sources(), { severity: 'high' }, now)).credentials.map((c) => c.app)).toEqual(['Creatio CRM']);
    const snoozed = sources({
      snoozed: async () => [
        {
          findingId: 'f-1',
          key: 'credential|t1|o1|k1',
          type: 'credential.expiring',
          severity: 'high',
          tenantId: 't1',
          name: 'Creatio CRM',
          lastSeen: '',
          snooze: { until: '2026-12-01T00:00:00Z', reason: 'r', by: 'b', at: '' },
        },
      ],
    });
    const view = await loadDashboardView(snoozed, {}, now);
    expect(view.credentials.map((c) => c.app)).toEqual(['Fabrikam app']);
    expect(view.snoozed).toEqual([{ findingId: 'f-1', finding: 'Creatio CRM', reason: 'r', by: 'b', until: '2026-12-01T00:00:00Z' }]);
  });

  it('lists hygiene apart from needs action, and a connection stops when its client secret ends if that comes first', async () => {
    const view = await loadDashboardView(
      sources({
        findings: async (query) => {
          const all = [
            finding({}),
            finding({
              keyId: 'k2',
              status: 'hygiene',
              severity: 'info',
              hygiene: [{ check: 'besideFederatedCredential', reason: 'A client secret beside a federated credential.' }],
            }),
          ];
          return { findings: all.filter((f) => !query.severities || query.severities.includes(f.severity)), more: false };
        },
        connections: async () => [
          {
            vaultUrl: 'https://kv',
            name: 'cerb',
            status: 'healthy' as const,
            consecutiveFailures: 0,
            lastAttempt: '2026-11-23T07:30:00Z',
            expectedLapse: '2027-02-01T00:00:00Z',
            clientSecret: { name: 'cerb-secret', appId: 'a1', keyId: 'k1', endDateTime: '2026-12-03T00:00:00Z' },
          },
        ],
      }),
      {},
      now,
    );
    expect(view.credentials.map((c) => c.displayName)).toEqual(['prod']);
    expect(view.hygiene).toEqual([
      expect.objectContaining({
        app: 'Creatio CRM',
        check: 'besideFederatedCredential',
        reason: 'A client secret beside a federated credential.',
      }),
    ]);
    expect(view.connections[0]).toMatchObject({ expectedLapse: '2026-12-03T00:00:00Z', lapseCause: 'clientSecret' });
  });

  it('shows a vault whose last listing failed as failed with the missing role, never as ok, and one never listed as such', async () => {
    const connection = {
      vaultUrl: 'https://kv',
      name: 'cerb',
      status: 'healthy' as const,
      consecutiveFailures: 0,
      lastAttempt: '2026-11-23T07:30:00Z',
    };
    const failing = sources({
      vaultUrls: ['https://kv', 'https://kv2'],
      connections: async () => [connection],
      vaultHealth: async () => [
        {
          status: 'failing',
          vaultUrl: 'https://kv',
          lastCheckedAt: '2026-11-23T08:00:00Z',
          lastSuccessAt: '2026-11-23T05:00:00Z',
          failingSince: '2026-11-23T06:00:00Z',
          consecutiveFailures: 3,
          problem: {
            code: 'ForbiddenByRbac',
            reason: 'Key Vault refused to list the secrets (ForbiddenByRbac)',
            persistent: true,
            missingRole: 'Key Vault Secrets Officer',
          },
        },
      ],
    });
    const view = await loadDashboardView(failing, {}, now);
    expect(view.health.filter((h) => h.kind === 'vault')).toEqual([
      {
        kind: 'vault',
        name: 'https://kv',
        lastRun: '2026-11-23T08:00:00Z',
        status: 'failed',
        detail:
          'could not list: Key Vault refused to list the secrets (ForbiddenByRbac) (missing Key Vault Secrets Officer); last listed 2026-11-23T05:00:00Z; 1 connection, 0 failing, as last known',
        failingSince: '2026-11-23T06:00:00Z',
      },
      {
        kind: 'vault',
        name: 'https://kv2',
        lastRun: undefined,
        status: 'never',
        detail: 'not listed yet; no token connection found yet',
        failingSince: undefined,
      },
    ]);
  });

  it('offers a reconnect for a failing connection a new sign-in fixes, and only while Vigil makes sign-in links', async () => {
    const failing = (name: string, failureClass: 'revoked' | 'transient') => ({
      vaultUrl: 'https://kv',
      name,
      status: 'failing' as const,
      failureClass,
      consecutiveFailures: 3,
      lastAttempt: '2026-11-23T07:30:00Z',
      failingSince: '2026-11-22T07:30:00Z',
      lastErrorCode: failureClass === 'revoked' ? 'AADSTS50173' : 'timeout',
      whoMustAct: 'the owner',
      remediation: 'Sign in again.',
    });
    const connections = async () => [failing('uipath', 'revoked'), failing('cerb', 'transient')];
    const on = await loadDashboardView(sources({ connections }), {}, now);
    expect(on.connections.map((c) => [c.name, c.reconnectable])).toEqual([
      ['uipath', true],
      ['cerb', false],
    ]);
    const off = await loadDashboardView(sources({ connections, signInLinks: false }), {}, now);
    expect(off.connections.map((c) => c.reconnectable)).toEqual([false, false]);
  });
});
