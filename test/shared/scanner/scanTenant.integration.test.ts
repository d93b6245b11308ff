import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { graphStats } from '../../../local/cloud/graph/createGraphApp.js';
import type { VigilEvent } from '../../../shared/events/vigilEvent.js';
import type { Finding } from '../../../shared/scanner/Finding.js';
import type { ScanStateStore } from '../../../shared/scanner/ScanPorts.js';
import { refreshVaultIndex } from '../../../shared/scanner/refreshVaultIndex.js';
import { scanTenant } from '../../../shared/scanner/scanTenant.js';
import { createTableClient } from '../../../shared/adapters/storage/createTableClient.js';
import { FINDINGS_LAYOUT } from '../../../shared/adapters/storage/findingTable.js';
import { tableNames } from '../../../shared/adapters/storage/tableNames.js';
import type { Runtime } from '../../../shared/wiring/createRuntime.js';
import { startTestStack, type TestStack } from '../../support/startTestStack.js';
import { GRAPH, OTHER_TENANT, TENANT } from '../../support/testScenario.js';
import { COPIED_APP_ID, GOV_TENANT, SCAN_VAULT, scannerScenario, scannerTenants } from './scannerScenario.js';
import { leaseScanState } from '../../support/leaseScanState.js';

let stack: TestStack;
const now = () => DateTime.fromJSDate(stack.cloud.context.store.now()).toUTC();
const requestsIn = (tenantId: string) => graphStats(stack.cloud.context).byTenant[tenantId]?.requests ?? 0;

beforeAll(async () => {
  stack = await startTestStack({ scenario: scannerScenario(), settings: { VIGIL_TENANTS: scannerTenants() } });
  await refreshVaultIndex(stack.runtime.vaults, stack.runtime.scanner.vaultIndex, TENANT, stack.runtime.scanner.vaultHealth, now());
});
afterAll(async () => stack.stop());

/** One scan with the production wiring, events captured here and Retry-After waits recorded instead of slept. */
async function scan(tenantId: string, runtime: Runtime = stack.runtime) {
  const tenant = runtime.scanner.tenants.find((t) => t.tenantId === tenantId)!;
  const { target, deps } = runtime.scanner.scanOf(tenant, { sleep: async () => undefined });
  const events: VigilEvent[] = [];
  const outcome = await scanTenant(
    target,
    { ...deps, events: { publish: async (e) => void events.push(...e) } },
    runtime.scanner.policy,
    now(),
  );
  return { outcome, events };
}

const row = (f: Finding) => [
  f.subjectName,
  f.subjectKind,
  f.credentialType,
  f.credentialName,
  f.status,
  f.daysLeft,
  f.threshold,
  f.severity,
  f.overlap,
  f.vaultCopyStale,
];
const findingsOf = async (tenantId: string) =>
  (await stack.runtime.scanner.findings.list(tenantId))
    .map(row)
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[3]).localeCompare(String(b[3])));
const app = (name: string) => stack.cloud.context.store.tenant(TENANT)!.applications.find((a) => a.displayName === name)!;

describe('scanning a seeded tenant against the local cloud', () => {
  it('gives exactly the expected findings and severities for applications, service principals, a SAML app and the vault', async () => {
    const { outcome, events } = await scan(TENANT);
    expect(outcome).toMatchObject({ kind: 'checked', mode: 'full', resynced: false, applications: 12 });
    expect(await findingsOf(TENANT)).toEqual([
      ['App 02', 'application', 'password', 'main', 'expiring', 2, 3, 'critical', false, false],
      ['App 05', 'application', 'password', 'main', 'expiring', 5, 7, 'high', false, false],
      ['App 10', 'application', 'password', 'main', 'expiring', 10, 14, 'high', false, false],
      ['App 20', 'application', 'password', 'main', 'expiring', 20, 30, 'medium', false, false],
      ['App 45', 'application', 'password', 'main', 'expiring', 45, 60, 'low', false, false],
      ['App 90', 'servicePrincipal', 'password', 'sp-secret', 'expiring', 5, 7, 'high', false, false],
      ['App expired', 'application', 'password', 'main', 'expired', -12, 0, 'critical', false, false],
      ['Cert app', 'application', 'certificate', 'CN=cert-app', 'expiring', 20, 30, 'medium', false, false],
      [
        'Contoso SAML',
        'servicePrincipal',
        'samlSigning',
        'CN=Microsoft Azure Federated SSO Certificate',
        'expiring',
        25,
        30,
        'medium',
        false,
        false,
      ],
      // The replacements are valid for 230 and 330 days, over Vigil's 180-day maximum: hygiene, on apps Vigil reports on anyway.
      ['Copied app', 'application', 'password', 'new', 'hygiene', 200, 0, 'info', false, false],
      ['Copied app', 'application', 'password', 'old', 'expiring', 10, 14, 'high', false, true],
      ['Overlap app', 'application', 'password', 'new', 'hygiene', 200, 0, 'info', false, false],
      ['Overlap app', 'application', 'password', 'old', 'expiring', 10, 14, 'low', true, false],
      ['partner-api-key', 'vaultSecret', 'vaultSecret', 'partner-api-key', 'expiring', 5, 7, 'high', false, false],
      ['Stale app', 'application', 'password', 'current', 'hygiene', 300, 0, 'info', false, false],
      ['Stale app', 'application', 'password', 'old', 'stale', -45, 0, 'info', true, false],
    ]);
    expect(events.map((e) => e.type).sort()).toEqual(
      [
        ...Array(11).fill('credential.expiring'),
        'credential.expired',
        'credential.stale',
        ...Array(3).fill('credential.hygiene'),
        'scan.completed',
      ].sort(),
    );
    const app10 = events.find((e) => e.subject.displayName === 'App 10')!;
    expect(app10).toMatchObject({
      severity: 'high',
      dedupeKey: `credential.expiring|${TENANT}|${app('App 10').id}|${app('App 10').passwordCredentials[0]!.keyId}|14`,
      routing: { team: 'contoso-ops' },
      links: {
        portal: `https://portal.azure.com/#@${TENANT}/view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Credentials/appId/${app('App 10').appId}`,
      },
      data: { daysLeft: 10, threshold: 14, overlap: false, credentialType: 'password' },
    });
    expect(app10.impact).toMatch(/^App 10 will break on \d{4}-\d{2}-\d{2} unless it is renewed\.$/);
    const copied = events.find((e) => e.subject.displayName === 'Copied app')!;
    expect(copied.data).toMatchObject({ vaultCopy: { secretName: 'copied-app-secret', stale: true } });
    expect(copied.summary).toMatch(/The copy in Key Vault secret "copied-app-secret" is stale/);
    expect(events.find((e) => e.type === 'scan.completed')!.data).toMatchObject({ mode: 'full', applications: 12, findings: 16 });
  });

  it('baselines a first scan with many findings: what needs action now one by one, the rest in one summary', async () => {
    // The tenant's scan state is lost: its next scan is a first scan again, over the findings stored above.
    const states = createTableClient({ kind: 'connectionString', connectionString: stack.azurite.connectionString }, 'VigilScanState');
    await states.deleteEntity(TENANT, 'state');
    const tenant = stack.runtime.scanner.tenants.find((t) => t.tenantId === TENANT)!;
    const { target, deps } = stack.runtime.scanner.scanOf(tenant, { sleep: async () => undefined });
    const events: VigilEvent[] = [];
    const outcome = await scanTenant(
      target,
      { ...deps, events: { publish: async (e) => void events.push(...e) } },
      { ...stack.runtime.scanner.policy, firstScanItems: 3 },
      now(),
    );

    // 13 on the expiry ladder and 3 hygiene items (issue 16), each a finding.
    expect(outcome).toMatchObject({ kind: 'checked', baseline: true, findings: 16 });
    expect(outcome.kind === 'checked' && outcome.counts.bySeverity).toEqual({ critical: 2, high: 5, medium: 3, low: 2, info: 4 });
    const announced = events.filter((e) => e.type.startsWith('credential.')).map((e) => e.subject.displayName);
    expect(announced.sort()).toEqual(['App 02', 'App 05', 'App 10', 'App 90', 'App expired', 'Copied app', 'partner-api-key']);
    const baseline = events.find((e) => e.type === 'scan.baseline');
    if (baseline?.type !== 'scan.baseline') throw new Error(`no scan.baseline among ${events.map((e) => e.type).join(', ')}`);
    expect(baseline).toMatchObject({
      severity: 'medium',
      routing: { team: 'contoso-ops' },
      data: {
        findings: 16,
        announced: 7,
        later: { count: 6, bySeverity: { medium: 3, low: 2, info: 1 }, byStatus: { expiring: 5, expired: 0, stale: 1 } },
        list: `/api/findings?tenant=${TENANT}`,
      },
    });
    expect(baseline.data.mostUrgent.map((f) => [f.subject.displayName, f.severity])).toEqual([
      ['App 20', 'medium'],
      ['Cert app', 'medium'],
      ['Contoso SAML', 'medium'],
      ['Overlap app', 'low'],
      ['App 45', 'low'],
      ['Stale app', 'info'],
    ]);
    expect(baseline.summary).toMatch(/^First scan of tenant Contoso: 16 credentials need attention\. 7 that need action now/);
    expect(events.at(-1)!.type).toBe('scan.completed');
    expect(await findingsOf(TENANT)).toHaveLength(16);
  });

  it('emits no new credential event when nothing changed, and reads only the changes', async () => {
    const before = requestsIn(TENANT);
    const { outcome, events } = await scan(TENANT);
    expect(outcome).toMatchObject({ kind: 'checked', mode: 'delta', applications: 0, servicePrincipals: 0, findings: 16 });
    expect(events.map((e) => e.type)).toEqual(['scan.completed']);
    // A round that returns nothing judges nothing, so it reads no policies either.
    expect(requestsIn(TENANT) - before).toBe(2);
  });

  it('closes the old finding as credential.rotated when a new secret is added, reading the changed application only', async () => {
    const added = (await stack.admin(`/admin/applications/${encodeURIComponent('App 10')}/password-credentials`, {
      displayName: 'rotated',
      endInDays: 180,
    })) as { keyId: string };
    const before = requestsIn(TENANT);
    const { outcome, events } = await scan(TENANT);
    expect(outcome).toMatchObject({ kind: 'checked', mode: 'delta', applications: 1, servicePrincipals: 0 });
    // Two delta pages only: App 10 is judged with the policies and federated apps the full read kept (issue 15).
    expect(requestsIn(TENANT) - before).toBe(2);
    expect(events.map((e) => [e.type, e.subject.displayName])).toEqual([
      ['credential.rotated', 'App 10'],
      ['scan.completed', 'Contoso'],
    ]);
    expect(events[0]!.data).toMatchObject({ keyId: app('App 10').passwordCredentials[0]!.keyId, replacedBy: added.keyId });
    expect((await findingsOf(TENANT)).find((r) => r[0] === 'App 10')).toEqual([
      'App 10',
      'application',
      'password',
      'main',
      'expiring',
      10,
      14,
      'low',
      true,
      false,
    ]);
  });

  it('treats a vault copy moved to the new secret as the rotation it completes', async () => {
    const newKey = app('Copied app').passwordCredentials.find((c) => c.displayName === 'new')!.keyId;
    const vault = stack.secretClient(SCAN_VAULT);
    const current = await vault.getSecret('copied-app-secret');
    await vault.updateSecretProperties('copied-app-secret', current.properties.version!, {
      tags: { 'vigil-app-id': COPIED_APP_ID, 'vigil-key-id': newKey },
    });
    await refreshVaultIndex(stack.runtime.vaults, stack.runtime.scanner.vaultIndex, TENANT, stack.runtime.scanner.vaultHealth, now());
    const { events } = await scan(TENANT);
    expect(events.map((e) => [e.type, e.subject.displayName])).toEqual([
      ['credential.rotated', 'Copied app'],
      ['scan.completed', 'Contoso'],
    ]);
  });

  it("asks for the service principals' first page as the applications' last page arrives, before that page is judged", async () => {
    const { faults } = stack.cloud.context;
    // A fault that adds nothing and is never used up: it counts the requests for the service principals.
    const counter = faults.add({ service: 'graph', path: '/servicePrincipals', action: { kind: 'latency', ms: 0 }, times: 1e9 });
    const asked = () => 1e9 - (faults.list().find((f) => f.id === counter)?.remaining ?? 1e9);
    const tenant = stack.runtime.scanner.tenants.find((t) => t.tenantId === TENANT)!;
    const reads = stack.runtime.scanner.scanOf(tenant).deps.pager.read({ mode: 'full' })[Symbol.asyncIterator]();
    try {
      const first = await reads.next();
      // The applications' only page says it ends their collection: the scan asks for their evidence as it is read.
      expect(first.value).toMatchObject({ kind: 'page', ends: 'application' });
      // The scanner holds the page (judging waits for the tenant's policies): the next collection is on its way.
      await vi.waitFor(() => expect(asked()).toBe(1), { timeout: 5000 });
      expect((await reads.next()).value).toMatchObject({ kind: 'page', ends: 'servicePrincipal' });
    } finally {
      await reads.return?.(undefined);
      faults.clear();
    }
  });

  it('resyncs with a full read when Graph refuses the delta link, without repeating findings', async () => {
    await stack.admin(`/admin/tenants/${TENANT}/delta/invalidate`, { as: 'resync' });
    const { outcome, events } = await scan(TENANT);
    expect(outcome).toMatchObject({ kind: 'checked', mode: 'full', resynced: true, applications: 12 });
    expect(events.map((e) => e.type)).toEqual(['scan.completed']);
  });
  it('reads everything afresh when the stored delta links are on another Graph endpoint, without calling it', async () => {
    const states = stack.runtime.scanner.states;
    const lease = await leaseScanState(states, TENANT, now(), 'test');
    if (lease.kind !== 'acquired' || !lease.state.deltaLinks) throw new Error('the scan state has no delta links to move');
    const moved = (link: string) => link.replace(/^https:\/\/[^/]+/, 'https://graph.old-endpoint.example');
    const { applications, servicePrincipals } = lease.state.deltaLinks;
    await states.release(lease.lease, {
      ...lease.state,
      deltaLinks: { applications: moved(applications), servicePrincipals: moved(servicePrincipals) },
    });

    const { outcome, events } = await scan(TENANT);

    expect(outcome).toMatchObject({ kind: 'checked', mode: 'full', resynced: true, applications: 12 });
    expect(events.map((e) => e.type)).toEqual(['scan.completed']);
  });

  it('reads the policies and federated apps on a delta when none are kept (a row of an older version), and keeps them', async () => {
    const states = stack.runtime.scanner.states;
    const lease = await leaseScanState(states, TENANT, now(), 'test');
    if (lease.kind !== 'acquired' || !lease.state.intelligence) throw new Error('the full read kept no policies or federated apps');
    await states.release(lease.lease, { ...lease.state, intelligence: undefined });
    const addSecret = () =>
      stack.admin(`/admin/applications/${encodeURIComponent('App 20')}/password-credentials`, { displayName: 'extra', endInDays: 100 });

    await addSecret();
    const before = requestsIn(TENANT);
    expect((await scan(TENANT)).outcome).toMatchObject({ kind: 'checked', mode: 'delta', applications: 1 });
    // Two delta pages, the default and assigned policies (asked together, both refused: no Policy.Read.All) and the federated apps.
    expect(requestsIn(TENANT) - before).toBe(5);

    await addSecret();
    const again = requestsIn(TENANT);
    expect((await scan(TENANT)).outcome).toMatchObject({ kind: 'checked', mode: 'delta', applications: 1 });
    expect(requestsIn(TENANT) - again).toBe(2);
  });

  it('upgrades once a tenant stored before the by-app table: its by-app query answers, and later scans skip the upgrade', async () => {
    const states = stack.runtime.scanner.states;
    const lease = await leaseScanState(states, TENANT, now(), 'test');
    if (lease.kind !== 'acquired') throw new Error('the scan state is leased');
    expect(lease.state.findingsLayout).toBe(FINDINGS_LAYOUT);
    await states.release(lease.lease, { ...lease.state, findingsLayout: undefined });
    // As a version before the by-app table left the tenant: its findings, no by-app rows, no layout on its state.
    const byApp = createTableClient(
      { kind: 'connectionString', connectionString: stack.azurite.connectionString },
      tableNames.findingsByApp,
    );
    for await (const row of byApp.listEntities<{ partitionKey: string; rowKey: string }>({
      queryOptions: { filter: `tenantId eq '${TENANT}'` },
    }))
      await byApp.deleteEntity(row.partitionKey, row.rowKey);
    const findings = stack.runtime.scanner.findings;
    expect(await findings.ofApp(app('App 10').appId)).toEqual([]);
    const kept = vi.spyOn(findings, 'kept');

    await scan(TENANT);
    await scan(TENANT);

    expect(kept.mock.calls.map(([, options]) => options)).toEqual([{ upgrade: true }, { upgrade: false }]);
    kept.mockRestore();
    expect((await findings.ofApp(app('App 10').appId)).map((f) => [f.subjectName, f.credentialName])).toEqual([['App 10', 'main']]);
  });
});

describe('tenants that cannot be scanned', () => {
  it('reports a tenant whose Vigil identity lacks Application.Read.All as scan.failed naming the permission, once', async () => {
    const { outcome, events } = await scan(OTHER_TENANT);
    expect(outcome).toEqual({
      kind: 'unchecked',
      keptFindings: 0,
      failure: {
        code: 'forbidden',
        reason: 'Graph refused to list applications (HTTP 403 Authorization_RequestDenied)',
        missingPermission: 'Application.Read.All',
      },
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'scan.failed',
      severity: 'high',
      subject: { kind: 'tenant', displayName: 'Fabrikam' },
      data: { missingPermission: 'Application.Read.All' },
    });
    expect(events[0]!.summary).toMatch(/Missing permission: Application\.Read\.All/);
    expect((await scan(OTHER_TENANT)).events).toEqual([]);
    expect(await findingsOf(TENANT)).toHaveLength(16);
  });

  it('keeps the last good findings when a tenant that scanned fine loses the permission, and says when it recovers', async () => {
    const setRoles = (roles: string[]) =>
      stack.admin(`/admin/tenants/${TENANT}/service-principals/Vigil/roles`, { resource: GRAPH, roles });
    await setRoles([]);
    // A fresh runtime signs in again; the old one's cached token still carries the role.
    const failed = await scan(TENANT, stack.runtimeWith({}));
    expect(failed.outcome).toMatchObject({ kind: 'unchecked', keptFindings: 16, failure: { missingPermission: 'Application.Read.All' } });
    expect(failed.events.map((e) => e.type)).toEqual(['scan.failed']);
    expect(await findingsOf(TENANT)).toHaveLength(16);
    await setRoles(['Application.Read.All']);
    const recovered = await scan(TENANT, stack.runtimeWith({}));
    expect(recovered.events.map((e) => e.type)).toEqual(['scan.recovered', 'scan.completed']);
  });

  it("scans a US Gov tenant through that cloud's endpoints, with portal links in portal.azure.us", async () => {
    expect(JSON.parse(stack.settingsValues['VIGIL_CLOUD_ENDPOINTS']!)).toMatchObject({
      usgov: { graph: stack.cloud.endpoints.clouds.usgov!.graph },
    });
    const { outcome } = await scan(GOV_TENANT);
    expect(outcome).toMatchObject({ kind: 'checked', applications: 3 });
    const [gov] = await stack.runtime.scanner.findings.list(GOV_TENANT);
    expect(gov).toMatchObject({ subjectName: 'Gov app', severity: 'medium', threshold: 30 });
    expect(gov!.portalUrl).toMatch(new RegExp(`^https://portal\\.azure\\.us/#@${GOV_TENANT}/view/Microsoft_AAD_RegisteredApps/`));
    // Two directory pages, the default and assigned policies (asked together, both refused) and the federated apps, the
    // Gov app's owners; no usage report in US Gov.
    expect(requestsIn(GOV_TENANT)).toBe(6);
  });
});

describe('time passing', () => {
  it('finds a credential reaching the first rung by time alone on the next delta scan, without reading Graph for it', async () => {
    // The US Gov tenant was read in full above; "Gov soon" then had 60.5 days left, above the ladder.
    expect((await stack.runtime.scanner.findings.list(GOV_TENANT)).map((f) => f.subjectName)).toEqual(['Gov app']);
    const later = now().plus({ hours: 13 });
    const tenant = stack.runtime.scanner.tenants.find((t) => t.tenantId === GOV_TENANT)!;
    const { target, deps } = stack.runtime.scanner.scanOf(tenant, { sleep: async () => undefined });
    const events: VigilEvent[] = [];

    const outcome = await scanTenant(
      target,
      { ...deps, events: { publish: async (e) => void events.push(...e) } },
      stack.runtime.scanner.policy,
      later,
    );

    expect(outcome).toMatchObject({ kind: 'checked', mode: 'delta', applications: 0 });
    expect(
      events
        .filter((e) => e.type === 'credential.expiring')
        .map((e) => [e.subject.displayName, e.type === 'credential.expiring' && e.data.threshold]),
    ).toEqual([['Gov soon', 60]]);
    expect((await stack.runtime.scanner.findings.list(GOV_TENANT)).map((f) => f.subjectName).sort()).toEqual(['Gov app', 'Gov soon']);
  });
});

describe('credentials that go away', () => {
  it('closes the findings of a removed secret, a deleted app and a deleted vault secret with credential.removed', async () => {
    const store = stack.cloud.context.store;
    const tenant = store.tenant(TENANT)!;
    const five = app('App 05');
    five.passwordCredentials = [];
    store.touch(tenant, five);
    const two = app('App 02');
    two.deleted = true;
    store.touch(tenant, two);
    await (await stack.secretClient(SCAN_VAULT).beginDeleteSecret('partner-api-key')).pollUntilDone();
    await refreshVaultIndex(stack.runtime.vaults, stack.runtime.scanner.vaultIndex, TENANT, stack.runtime.scanner.vaultHealth, now());

    const { events } = await scan(TENANT);

    const removed = events.flatMap((e) =>
      e.type === 'credential.removed' ? [[e.subject.displayName, e.data.status, e.data.objectDeleted]] : [],
    );
    expect(removed.sort()).toEqual([
      ['App 02', 'expiring', true],
      ['App 05', 'expiring', false],
      ['partner-api-key', 'expiring', true],
    ]);
    expect(events.find((e) => e.subject.displayName === 'App 02')).toMatchObject({
      severity: 'info',
      summary: expect.stringMatching(/^App 02 was deleted/),
    });
    const left = (await findingsOf(TENANT)).map((r) => r[0]);
    for (const name of ['App 02', 'App 05', 'partner-api-key']) expect(left).not.toContain(name);
  });
});

describe('two scans of one tenant at once', () => {
  it('lets exactly one record when both read the state before either claimed the lease: the other publishes and saves nothing', async () => {
    const tenant = stack.runtime.scanner.tenants.find((t) => t.tenantId === TENANT)!;
    // Both scans read the row as it is, then both claim it: only the claim over the unchanged row is taken.
    let reads = 0;
    let bothRead: () => void = () => undefined;
    const readTogether = new Promise<void>((resolve) => (bothRead = resolve));
    const run = async (holder: string) => {
      const { target, deps } = stack.runtime.scanner.scanOf(tenant, { sleep: async () => undefined });
      const events: VigilEvent[] = [];
      const state: ScanStateStore = {
        ...deps.state,
        read: async (...args) => {
          const found = await deps.state.read(...args);
          if (++reads === 2) bothRead();
          await readTogether;
          return found;
        },
      };
      const publish = async (e: readonly VigilEvent[]) => void events.push(...e);
      const outcome = await scanTenant(target, { ...deps, state, events: { publish } }, stack.runtime.scanner.policy, now(), holder);
      return { outcome, events };
    };

    const scans = await Promise.all([run('message-a'), run('message-b')]);

    expect(scans.map((s) => s.outcome.kind).sort()).toEqual(['busy', 'checked']);
    const loser = scans.find((s) => s.outcome.kind === 'busy')!;
    expect(loser.events).toEqual([]);
    const winner = scans.find((s) => s.outcome.kind === 'checked')!;
    expect(winner.events.map((e) => e.type)).toContain('scan.completed');
    const after = await leaseScanState(stack.runtime.scanner.states, TENANT, now(), 'look again');
    // The winner freed the tenant; the loser never held it.
    if (after.kind !== 'acquired') throw new Error('the tenant was left leased');
    await stack.runtime.scanner.states.release(after.lease, after.state);
  });
});
