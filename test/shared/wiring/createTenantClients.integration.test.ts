import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { scanPlannerTimer } from '../../../functions/scanPlannerTimer.js';
import { scanTenantQueue } from '../../../functions/scanTenantQueue.js';
import type { Scenario } from '../../../local/cloud/scenario/scenarioSchema.js';
import { createInvocationContext } from '../../../local/devhost/invocationContext.js';
import { pollQueuesOnce } from '../../../local/devhost/runQueueFunctions.js';
import { timerArgument } from '../../../local/devhost/runTimerFunctions.js';
import { startTestStack, type TestStack } from '../../support/startTestStack.js';
import { GRAPH, OTHER_TENANT, TENANT, VIGIL_SECRET, vigilScannerApp } from '../../support/testScenario.js';

const VAULT = 'msp-vault';
const VIGIL_APP_ID = 'aaaaaaaa-0000-4000-8000-00000000000d';
const SHARED_SECRET = 'vigil-customers-secret';
const THIRD_TENANT = '33333333-3333-4333-8333-333333333333';
const customers = [
  { id: OTHER_TENANT, name: 'Northwind', app: 'Northwind courier', days: 5 },
  { id: THIRD_TENANT, name: 'Fabrikam', app: 'Fabrikam billing', days: 20 },
];

/** An MSP's set-up: Vigil's multi-tenant app, consented in two customers, signing in to both with one secret. */
function mspScenario(): Scenario {
  return {
    tenants: [
      { id: TENANT, displayName: 'Contoso', defaultDomain: 'contoso.onmicrosoft.com', applications: [vigilScannerApp(VIGIL_APP_ID)] },
      ...customers.map((c) => ({
        id: c.id,
        displayName: c.name,
        defaultDomain: `${c.name.toLowerCase()}.onmicrosoft.com`,
        applications: [{ displayName: c.app, passwordCredentials: [{ displayName: 'main', end: { inDays: c.days } }] }],
        servicePrincipals: [{ application: 'Vigil', roles: { [GRAPH]: ['Application.Read.All'] } }],
      })),
    ],
    vaults: [{ name: VAULT, tenant: TENANT, allowedApps: ['Vigil'], secrets: [] }],
  };
}

const tenants = JSON.stringify([
  { tenantId: TENANT, displayName: 'Contoso', auth: { kind: 'managedIdentity' } },
  ...customers.map((c) => ({
    tenantId: c.id,
    displayName: c.name,
    auth: { kind: 'clientSecret', clientId: VIGIL_APP_ID, keyVaultSecretName: SHARED_SECRET },
  })),
]);

let stack: TestStack;
const logs: string[] = [];
const sink = (_name: string, level: string, message: string) => void logs.push(`${level}: ${message}`);

/** Counts requests to the local Entra whose path matches, with a fault that adds nothing and is never used up. */
function countEntra(path: string, method: string): () => number {
  const { faults } = stack.cloud.context;
  const id = faults.add({ service: 'entra', path, method, action: { kind: 'latency', ms: 0 }, times: 1e9 });
  return () => 1e9 - (faults.list().find((f) => f.id === id)?.remaining ?? 1e9);
}

const runScanCycle = async (runtime = stack.runtime) => {
  if (scanPlannerTimer.kind !== 'timer') throw new Error('scanPlannerTimer is a timer');
  await scanPlannerTimer.handler(timerArgument(null), createInvocationContext('scanPlannerTimer', sink), runtime);
  return pollQueuesOnce([scanTenantQueue], runtime, (name) => runtime.queue(name), sink);
};

beforeAll(async () => {
  stack = await startTestStack({ scenario: mspScenario(), settings: { VIGIL_TENANTS: tenants } });
  await stack.secretClient(VAULT).setSecret(SHARED_SECRET, VIGIL_SECRET);
});
afterAll(async () => stack.stop());

describe('tenants that Vigil signs in to as one multi-tenant app with one secret', () => {
  it('each get one token for two scans, their own findings, and no authority metadata is fetched', async () => {
    const tokens = customers.map((c) => countEntra(`^/${c.id}/oauth2/v2.0/token$`, 'POST'));
    const metadata = countEntra(`^/(${customers.map((c) => c.id).join('|')})/v2.0/\\.well-known/openid-configuration$`, 'GET');

    expect(await runScanCycle()).toBe(3);
    // The next run (the same process, as on one Functions instance), a delta scan of every tenant.
    expect(await runScanCycle()).toBe(3);

    // The token endpoint is the documented one of the tenant's cloud: nothing is looked up first.
    expect(metadata()).toBe(0);
    for (const c of customers) {
      const findings = await stack.runtime.scanner.findings.list(c.id);
      expect(findings.map((f) => [f.subjectName, f.daysLeft])).toEqual([[c.app, c.days]]);
    }
    expect(logs.filter((l) => l.startsWith('warning') || l.startsWith('error'))).toEqual([]);
    expect(tokens.map((count) => count())).toEqual([1, 1]);
  });

  it('read the secret again after a failed sign-in, so a secret put right in the vault is picked up on the next scan', async () => {
    // A fresh process whose vault holds a secret Entra no longer accepts (the app's secret was rotated).
    await stack.secretClient(VAULT).setSecret(SHARED_SECRET, 'a-secret-entra-no-longer-accepts-0123');
    const runtime = stack.runtimeWith({});
    const cycle = () => runScanCycle(runtime);
    logs.length = 0;
    await cycle();
    for (const c of customers)
      expect(logs).toContainEqual(expect.stringMatching(new RegExp(`^warning: could not scan ${c.name}: sign-in`)));

    await stack.secretClient(VAULT).setSecret(SHARED_SECRET, VIGIL_SECRET);
    logs.length = 0;
    await cycle();
    expect(logs.filter((l) => l.startsWith('warning') || l.startsWith('error'))).toEqual([]);
  });
});

describe('the tenant Vigil reads as its own identity', () => {
  it('shares one Graph token with the home Graph client: the credential is asked once, not once per client', async () => {
    // A fresh process, so no Graph token is kept yet.
    const runtime = stack.runtimeWith({});
    const asked = vi.spyOn(runtime.credential, 'getToken');
    expect(await runScanCycle(runtime)).toBe(3);
    await runtime.homeGraph.api('/applications').top(1).get();
    expect(asked.mock.calls.filter(([scopes]) => String(scopes).includes('graph'))).toHaveLength(1);
  });
});
