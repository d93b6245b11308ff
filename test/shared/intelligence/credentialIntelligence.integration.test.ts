import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getRotation } from '../../../functions/getRotation.js';
import { startRotation } from '../../../functions/startRotation.js';
import type { Scenario } from '../../../local/cloud/scenario/scenarioSchema.js';
import type { VigilEvent } from '../../../shared/events/vigilEvent.js';
import { graphStats } from '../../../local/cloud/graph/createGraphApp.js';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import { advanceRotation } from '../../../shared/rotation/advanceRotation.js';
import type { Finding } from '../../../shared/scanner/Finding.js';
import { refreshVaultIndex } from '../../../shared/scanner/refreshVaultIndex.js';
import { scanTenant } from '../../../shared/scanner/scanTenant.js';
import { refreshConnection } from '../../../shared/tokens/refreshConnection.js';
import { toRefreshDeps } from '../../../shared/wiring/createTokenKeeper.js';
import { rotationScenario, startRotationStack, type RotationStack } from '../../functions/rotationStack.js';
import { GRAPH, TENANT } from '../../support/testScenario.js';
import { contosoFederal, GOV_TENANT, VIGIL_GOV_APP_ID as GOV_VIGIL_APP_ID } from '../scanner/scannerScenario.js';

const NINETY_DAYS = 'Ninety-day secrets';

/**
 * The rotation scenario, with Vigil allowed to read the usage report and the app management policies,
 * and apps that each show one kind of evidence: used, unused, under a 90-day policy, blocked from new
 * secrets, federated with a leftover secret, crowded with secrets; Cerb's secret ends in 10 days. A US
 * Gov tenant, where the usage report does not exist.
 */
function intelligenceScenario(): Scenario {
  const scenario = rotationScenario();
  const home = scenario.tenants[0]!;
  const secret = (displayName: string, start: number, end: number, lastSignIn?: number) => ({
    displayName,
    start: { inDays: start },
    end: { inDays: end },
    ...(lastSignIn === undefined ? {} : { lastSignIn: { inDays: lastSignIn } }),
  });
  home.applications = [
    ...home.applications!.map((a) => {
      if (a.displayName === 'Vigil')
        return { ...a, roles: { ...a.roles, [GRAPH]: [...a.roles![GRAPH]!, 'AuditLog.Read.All', 'Policy.Read.All'] } };
      if (a.displayName === 'Cerb Helpdesk')
        return { ...a, passwordCredentials: [{ ...a.passwordCredentials![0]!, end: { inDays: 10 }, lastSignIn: { inDays: -1 } }] };
      if (a.displayName === 'Creatio CRM')
        return { ...a, passwordCredentials: [{ ...a.passwordCredentials![0]!, lastSignIn: { inDays: -2 } }, a.passwordCredentials![1]!] };
      return a;
    }),
    { displayName: 'Unused app', passwordCredentials: [secret('idle', -100, 10)] },
    { displayName: 'Long app', passwordCredentials: [secret('long', -100, 12, -3)] },
    { displayName: 'Locked app', passwordCredentials: [secret('locked', -20, 20, -1)], owners: [] },
    {
      displayName: 'Federated app',
      passwordCredentials: [secret('leftover', -10, 100, -3), secret('older', -200, -20)],
      federatedIdentityCredentials: [
        { name: 'github', issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:contoso/app:ref:refs/heads/main' },
      ],
    },
    { displayName: 'Crowded app', passwordCredentials: [secret('a', -20, 9, -1), secret('b', -20, 100, -1), secret('c', -100, 150, -1)] },
  ];
  home.appManagementPolicies = [
    {
      displayName: NINETY_DAYS,
      appliesTo: ['Creatio CRM', 'Long app'],
      passwordCredentials: [{ restrictionType: 'passwordLifetime', maxLifetime: 'P90D', state: 'enabled' }],
    },
    {
      displayName: 'No new secrets',
      appliesTo: ['Locked app'],
      passwordCredentials: [{ restrictionType: 'passwordAddition', state: 'enabled' }],
    },
  ] as Scenario['tenants'][number]['appManagementPolicies'];
  scenario.tenants.push(
    contosoFederal(['Application.Read.All', 'AuditLog.Read.All'], {
      displayName: 'Gov app',
      passwordCredentials: [{ displayName: 'main', end: { inDays: 20 } }],
    }),
  );
  const vault = scenario.vaults![0]!;
  vault.secrets = [
    ...vault.secrets!.map((s) => (s.name === 'cerb-client-secret' ? { ...s, expires: { inDays: 10 } } : s)),
    { name: 'vigil-gov', value: { clientSecret: { application: 'Vigil Gov', credential: 'vigil-gov' } } },
  ];
  return scenario;
}

const tenants = JSON.stringify([
  { tenantId: TENANT, displayName: 'Contoso', auth: { kind: 'managedIdentity' } },
  {
    tenantId: GOV_TENANT,
    displayName: 'Contoso Federal',
    cloud: 'usgov',
    auth: { kind: 'clientSecret', clientId: GOV_VIGIL_APP_ID, keyVaultSecretName: 'vigil-gov' },
  },
]);

let r: RotationStack;
let token: string;
beforeAll(async () => {
  r = await startRotationStack(intelligenceScenario(), { VIGIL_TENANTS: tenants });
  token = await r.token('Ops CLI');
  // The vault index (its copies and token connections) is refreshed before scans, as the scan timer does.
  await refreshVaultIndex(r.runtime.vaults, r.runtime.scanner.vaultIndex, TENANT, r.runtime.scanner.vaultHealth, cloudNow());
});
afterAll(async () => r?.stack.stop());

const cloudNow = () => DateTime.fromJSDate(r.stack.cloud.context.store.now()).toUTC();

/** One scan with the production wiring, its events captured here. */
async function scan(tenantId: string) {
  const tenant = r.runtime.scanner.tenants.find((t) => t.tenantId === tenantId)!;
  const { target, deps } = r.runtime.scanner.scanOf(tenant, { sleep: async () => undefined });
  const events: VigilEvent[] = [];
  await scanTenant(target, { ...deps, events: { publish: async (e) => void events.push(...e) } }, r.runtime.scanner.policy, cloudNow());
  return { events, findings: await r.runtime.scanner.findings.list(tenantId) };
}
const findingOfApp = (findings: Finding[], app: string, credential: string) =>
  findings.find((f) => f.subjectName === app && f.credentialName === credential)!;
const app = (name: string) => r.stack.cloud.context.store.application(r.appId(name))!.app;

describe('credential intelligence against the local cloud', () => {
  it('an unused expiring secret is advised to lapse at low severity; a used one names its last use', async () => {
    const { findings, events } = await scan(TENANT);
    const unused = findingOfApp(findings, 'Unused app', 'idle');
    expect(unused).toMatchObject({
      status: 'expiring',
      daysLeft: 10,
      severity: 'low',
      usage: { kind: 'unused', lastSignIn: null, unusedDays: 100 },
      advice: { kind: 'remove', text: 'Unused: let it lapse or remove it; do not rotate.' },
    });
    const used = findingOfApp(findings, 'Creatio CRM', 'current');
    expect(used).toMatchObject({
      severity: 'high',
      usage: { kind: 'used', lastSignIn: expect.stringMatching(cloudNow().minus({ days: 2 }).toISODate()!) },
    });
    const usedEvent = events.find((e) => e.type === 'credential.expiring' && e.subject.displayName === 'Creatio CRM')!;
    expect(usedEvent.summary).toMatch(/Last used to sign in 2 days ago/);
    expect(events.find((e) => e.subject.displayName === 'Unused app')!.data).toMatchObject({
      usage: { kind: 'unused' },
      advice: { kind: 'remove' },
    });
  });

  it('says "usage unknown" and why in a US Gov tenant, never "unused"', async () => {
    const { findings } = await scan(GOV_TENANT);
    expect(findingOfApp(findings, 'Gov app', 'main')).toMatchObject({
      severity: 'medium',
      usage: { kind: 'unknown', reason: expect.stringMatching(/only in the global cloud.*US Government/) },
      advice: { kind: 'moveToCertificate' },
    });
  });

  it('raises each hygiene item once, with its reason, and never as needing action', async () => {
    const findings = await r.runtime.scanner.findings.list(TENANT);
    const items = findings.flatMap((f) => f.hygiene.map((h) => [f.subjectName, f.credentialName, h.check]));
    expect(items.sort()).toEqual(
      [
        ['Creatio CRM', 'expired', 'expiredLeftOnApp'],
        ['Crowded app', 'a', 'tooManySecrets'],
        ['Crowded app', 'c', 'lifetimeOverMaximum'],
        ['Federated app', 'leftover', 'besideFederatedCredential'],
        ['Federated app', 'older', 'expiredLeftOnApp'],
        ['Long app', 'long', 'lifetimeOverPolicy'],
      ].sort(),
    );
    const reasons = Object.fromEntries(findings.flatMap((f) => f.hygiene.map((h) => [h.check, h.reason])));
    expect(reasons).toMatchObject({
      tooManySecrets: expect.stringMatching(/Crowded app has 3 active client secrets/),
      lifetimeOverMaximum: expect.stringMatching(/valid for 250 days, more than the 180 days/),
      besideFederatedCredential: expect.stringMatching(/Federated app has a federated identity credential/),
      expiredLeftOnApp: expect.stringMatching(/a newer one replaced it/),
      lifetimeOverPolicy: expect.stringMatching(new RegExp(`valid for 112 days; .*${NINETY_DAYS}.* at most 90`)),
    });
    const crowdedC = findingOfApp(findings, 'Crowded app', 'c');
    expect(crowdedC).toMatchObject({ status: 'hygiene', severity: 'info' });
    expect(findingOfApp(findings, 'Federated app', 'leftover')).toMatchObject({
      status: 'hygiene',
      advice: { kind: 'useFederatedCredential' },
    });
  });

  it('judges a delta with the policies and federated apps the full read kept, without reading them again', async () => {
    const addSecret = (name: string, displayName: string) =>
      r.stack.admin(`/admin/applications/${encodeURIComponent(name)}/password-credentials`, { displayName, endInDays: 120 });
    await addSecret('Long app', 'longer');
    await addSecret('Federated app', 'another');
    const requests = () => graphStats(r.stack.cloud.context).byTenant[TENANT]?.requests ?? 0;
    const before = requests();

    const { findings } = await scan(TENANT);

    // Two delta pages, then the new secrets' usage and owners; the policies (4 requests) and the federated apps (1) are kept.
    expect(requests() - before).toBe(4);
    expect(findingOfApp(findings, 'Long app', 'longer').hygiene.map((h) => h.check)).toEqual(['lifetimeOverPolicy']);
    expect(findingOfApp(findings, 'Federated app', 'another').hygiene.map((h) => h.check)).toEqual(['besideFederatedCredential']);
  });

  it("names the Cerb connection and its downstream on the Cerb app's secret, and advises to keep rotating it", async () => {
    const cerb = findingOfApp(await r.runtime.scanner.findings.list(TENANT), 'Cerb Helpdesk', 'cerb');
    expect(cerb).toMatchObject({
      status: 'expiring',
      impact: { connections: [{ name: 'cerb-mailbox', downstream: 'Cerb' }], owners: [] },
      advice: { kind: 'keepRotating', reason: expect.stringMatching(/^Cerb \(cerb-mailbox\) signs in with this secret/) },
    });
  });

  it('refuses up front, with advice, a rotation where an app management policy blocks new secrets', async () => {
    const before = app('Locked app').passwordCredentials.length;
    const response = await r.call(startRotation, {
      method: 'POST',
      path: 'rotations',
      token,
      body: { tenantId: TENANT, appId: r.appId('Locked app'), vaultSecretName: 'locked-client-secret' },
    });
    expect(response).toMatchObject({
      status: 422,
      body: {
        detail: expect.stringMatching(/"No new secrets" blocks new client secrets for Locked app/),
        advice: expect.stringMatching(/certificate kept in Key Vault, or a federated identity credential/),
      },
    });
    expect(app('Locked app').passwordCredentials).toHaveLength(before);
  });

  it('gives a 90-day secret under a 90-day policy, and does not retire an old key still in use after the grace period', async () => {
    const old = app('Creatio CRM').passwordCredentials.find((c) => c.displayName === 'current')!;
    const accepted = await r.call(startRotation, {
      method: 'POST',
      path: 'rotations',
      token,
      body: {
        tenantId: TENANT,
        appId: r.appId('Creatio CRM'),
        vaultSecretName: 'creatio-client-secret',
        keyId: old.keyId,
        lifetimeDays: 180,
      },
    });
    expect(accepted.status).toBe(202);
    const id = accepted.body['id'] as string;
    await r.drain();
    const view = async () => (await r.call(getRotation, { method: 'GET', path: `rotations/${id}`, params: { id }, token })).body;
    const progress = await view();
    expect(progress).toMatchObject({
      status: 'retire',
      policy: { kind: 'read', maxLifetimeDays: 90, by: expect.stringContaining(NINETY_DAYS) },
    });
    const added = app('Creatio CRM').passwordCredentials.find((c) => c.keyId === (progress['newCredential'] as { keyId: string }).keyId)!;
    const lifetimeDays = (Date.parse(added.endDateTime) - Date.parse(added.startDateTime)) / 86_400_000;
    expect(lifetimeDays).toBeGreaterThan(89.9);
    expect(lifetimeDays).toBeLessThanOrEqual(90);

    // Something still signs in with the old secret after the new one was stored.
    await r.stack.admin(`/admin/applications/${r.appId('Creatio CRM')}/sign-ins`, { keyId: old.keyId });
    const events: VigilEvent[] = [];
    const deps = { ...r.runtime.rotation, events: { publish: async (e: VigilEvent[]) => void events.push(...e) } };
    const afterGrace = DateTime.utc().plus({ days: 7, minutes: 1 });
    await advanceRotation(id, deps, afterGrace);
    expect(app('Creatio CRM').passwordCredentials.some((c) => c.keyId === old.keyId)).toBe(true);
    expect(await view()).toMatchObject({
      status: 'retire',
      retirement: { kind: 'waiting', lastSignIn: expect.any(String), holders: expect.any(Array) },
    });
    const deferred = events.find((e) => e.type === 'rotation.retire_deferred')!;
    expect(deferred.summary).toMatch(/still/);
    expect(deferred.summary).toMatch(/Creatio CRM/);
  });

  it('ties a refresh failing with AADSTS7000222 to the finding on its expired client secret: one problem, one alert', async () => {
    const keeper = r.runtime.tokenKeeper;
    const events: VigilEvent[] = [];
    const deps = {
      ...toRefreshDeps(keeper, keeper.stores[0]!),
      sleep: async () => undefined,
      events: { publish: async (e: VigilEvent[]) => void events.push(...e) },
    };
    const ref = { vaultUrl: keeper.stores[0]!.vaultUrl, name: 'cerb-mailbox' };
    await refreshConnection(deps, ref, cloudNow());
    expect(events.find((e) => e.type === 'token.refreshed')!.data).toMatchObject({ lapseCause: 'clientSecret' });
    // The failure is tied to the scanner's finding read by the app's id (one partition), not every finding.
    const store = r.runtime.scanner.findings;
    const [everything, byApp] = [vi.spyOn(store, 'listAll'), vi.spyOn(store, 'ofApp')];

    await r.stack.admin('/admin/clock', { advanceDays: 11 });
    const failed = await refreshConnection(deps, ref, cloudNow());
    expect(failed).toMatchObject({ state: { lastErrorCode: 'AADSTS7000222', linkedFinding: { subjectName: 'Cerb Helpdesk' } } });
    expect(byApp.mock.calls.map(([id]) => id.toLowerCase())).toEqual([r.appId('Cerb Helpdesk').toLowerCase()]);
    expect(everything).not.toHaveBeenCalled();
    [everything, byApp].forEach((spy) => spy.mockRestore());
    const { events: scanEvents, findings } = await scan(TENANT);
    const expired = scanEvents.find((e) => e.type === 'credential.expired' && e.subject.displayName === 'Cerb Helpdesk')!;
    const refreshFailed = events.find((e) => e.type === 'token.refresh_failed')!;
    expect(findingOf(refreshFailed).id).toBe(findingOf(expired).id);
    expect(refreshFailed.dedupeKey).toBe(expired.dedupeKey);
    expect(refreshFailed.summary).toMatch(/client secret of Cerb Helpdesk/);
    expect(findingOfApp(findings, 'Cerb Helpdesk', 'cerb').impact?.connections.map((c) => c.name)).toEqual(['cerb-mailbox']);
  });
});
