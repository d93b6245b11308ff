import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpRequest } from '../../functions/azureFunctions.js';
import type { FunctionDefinition } from '../../functions/FunctionDefinition.js';
import { listConnections } from '../../functions/listConnections.js';
import { refreshPlannerTimer } from '../../functions/refreshPlannerTimer.js';
import { scanTenantQueue } from '../../functions/scanTenantQueue.js';
import { createInvocationContext } from '../../local/devhost/invocationContext.js';
import type { VigilEvent } from '../../shared/events/vigilEvent.js';
import { refreshConnection } from '../../shared/tokens/refreshConnection.js';
import { findingKey } from '../../shared/scanner/Finding.js';
import { scanTenant } from '../../shared/scanner/scanTenant.js';
import type { Runtime } from '../../shared/wiring/createRuntime.js';
import { toRefreshDeps } from '../../shared/wiring/createTokenKeeper.js';
import type { StorageFaultProxy } from '../support/storageFaultProxy.js';
import { startTestStack, type TestStack } from '../support/startTestStack.js';
import { TENANT, VAULT } from '../support/testScenario.js';
import { cerbTags, OPS_USER, signInAgain, tokenScenario } from '../shared/tokens/tokenScenario.js';
import { tableNames } from '../../shared/adapters/storage/tableNames.js';
import { timerArgument } from '../../local/devhost/runTimerFunctions.js';

/**
 * Issue 19: Table and Queue storage refusing or resetting requests at the worst moments, between Vigil
 * and Azurite (the storage fault proxy). Each case failed before its fix.
 */
let stack: TestStack & { storageFaults: StorageFaultProxy };
let faults: StorageFaultProxy;
const logs: string[] = [];
const sink = (_name: string, level: string, message: string) => void logs.push(`${level}: ${message}`);
const timer = timerArgument(null);
const outage = { service: 'table' as const, method: 'POST', path: /^\/Tables$/ };

beforeAll(async () => {
  stack = await startTestStack({ scenario: tokenScenario(), storageFaults: true });
  faults = stack.storageFaults;
});
afterAll(async () => stack.stop());
afterEach(() => {
  faults.clear();
  logs.length = 0;
});

const runPlanner = (runtime: Runtime) =>
  (refreshPlannerTimer as Extract<FunctionDefinition, { kind: 'timer' }>).handler(
    timer,
    createInvocationContext('refreshPlannerTimer', sink),
    runtime,
  );
async function listOverHttp(runtime: Runtime) {
  const token = await stack.apiToken();
  const request = new HttpRequest({
    method: 'GET',
    url: 'http://localhost/api/connections',
    headers: { authorization: `Bearer ${token}` },
  });
  return (listConnections as Extract<FunctionDefinition, { kind: 'http' }>).handler(
    request,
    createInvocationContext('listConnections', sink),
    runtime,
  );
}
const scanMessage = (runtime: Runtime, messageId: string) =>
  (scanTenantQueue as Extract<FunctionDefinition, { kind: 'storageQueue' }>).handler(
    { tenantId: TENANT },
    createInvocationContext('scanTenantQueue', sink, { id: messageId, dequeueCount: 1 }),
    runtime,
  );

describe('an instance whose storage failed at first use', () => {
  it('creates its tables and queues on the next use once storage is back, instead of failing until it restarts', async () => {
    // A fresh runtime, as a new instance starts: nothing created yet.
    const runtime = stack.runtimeWith({});
    faults.inject(outage, { kind: 'refuse', status: 503 }, { times: Infinity });
    await expect(runPlanner(runtime)).rejects.toMatchObject({ statusCode: 503 });
    await expect(listOverHttp(runtime)).rejects.toMatchObject({ statusCode: 503 });

    faults.clear();
    await runPlanner(runtime);
    expect(logs).toContainEqual(expect.stringMatching(/^information: refresh planner: \d+ connection/));
    expect((await listOverHttp(runtime)).status).toBe(200);
  });
});

describe('a failed refresh whose new state cannot be saved', () => {
  it('alerts again under the same dedupe key, so each route hears of it once', async () => {
    const keeper = stack.runtime.tokenKeeper;
    const published: VigilEvent[] = [];
    const deps = {
      ...toRefreshDeps(keeper, keeper.stores[0]!),
      events: { publish: async (e: readonly VigilEvent[]) => void published.push(...e) },
    };
    const ref = { vaultUrl: keeper.stores[0]!.vaultUrl, name: 'ops-mailbox' };
    await stack.admin(`/admin/tenants/${TENANT}/users/${OPS_USER}/revoke-sessions`, {});
    const now = DateTime.utc();
    // The state write that ends the attempt (and gives the lease up) fails; the alert has already left.
    // It merges or replaces the row (as the state's columns stay or go); the lease's own write carries no status.
    const savesState = (r: { method: string; body: string }) => ['PUT', 'PATCH', 'MERGE'].includes(r.method) && r.body.includes('"status"');
    faults.inject({ table: tableNames.connections, when: savesState }, { kind: 'refuse', status: 503 }, { times: Infinity });
    await expect(refreshConnection(deps, ref, now)).rejects.toMatchObject({ statusCode: 503 });
    faults.clear();

    // The next attempt, after the lease ran out, starts from the state before the failure.
    const again = await refreshConnection(deps, ref, now.plus(keeper.policy.leaseDuration).plus({ minutes: 1 }));
    expect(again).toMatchObject({ kind: 'attempted', state: { status: 'failing', failureClass: 'revoked' } });
    const alerts = published.filter((e) => e.type === 'token.refresh_failed');
    expect(alerts).toHaveLength(2);
    expect(alerts[1]!.dedupeKey).toBe(alerts[0]!.dedupeKey);
  });
});

describe('a planned refresh whose lease is taken while its token is read', () => {
  let tokenCalls = 0;
  const settled: string[] = [];
  /** Production collaborators, with token calls counted and the early read's and the lease's ends recorded. */
  function watched() {
    const keeper = stack.runtime.tokenKeeper;
    const real = toRefreshDeps(keeper, keeper.stores[0]!);
    const note = <T>(what: string, promise: Promise<T>) => (void promise.finally(() => settled.push(what)).catch(() => undefined), promise);
    return {
      ...real,
      sleep: async () => undefined,
      events: { publish: async () => undefined },
      tokenEndpoint: {
        refresh: (request: Parameters<typeof real.tokenEndpoint.refresh>[0]) => (tokenCalls++, real.tokenEndpoint.refresh(request)),
      },
      store: { ...real.store, read: (...args: Parameters<typeof real.store.read>) => note('read', real.store.read(...args)) },
      leases: { ...real.leases, acquire: (...args: Parameters<typeof real.leases.acquire>) => note('lease', real.leases.acquire(...args)) },
    };
  }
  const ref = (name: string) => ({ vaultUrl: stack.runtime.tokenKeeper.stores[0]!.vaultUrl, name });
  const rowOf = async (name: string) =>
    (await stack.runtime.tokenKeeper.states.listVaultRows(ref(name).vaultUrl)).find((r) => r.ref.name === name)?.row;
  /** A Cerb connection refreshed once at `now` (so it has a state row), and the planner's read of that row. */
  async function planned(name: string, now: DateTime) {
    await stack.secretClient(VAULT).setSecret(name, await signInAgain(stack), { tags: cerbTags(OPS_USER) });
    expect(await refreshConnection(watched(), ref(name), now)).toMatchObject({ kind: 'attempted', outcome: 'refreshed' });
    const row = await rowOf(name);
    if (!row) throw new Error(`${name} has no state row`);
    return row;
  }
  /** The lease's conditional write: it names a holder and carries no state. */
  const writesLease = (r: { method: string; body: string }) =>
    ['PUT', 'PATCH', 'MERGE'].includes(r.method) && /"leaseHolder":"[^"]/.test(r.body) && !r.body.includes('"status"');
  const tokenReads = (name: string) => ({ service: 'keyvault', path: `^/secrets/${name}/?$`, method: 'GET' });
  afterEach(() => stack.admin('/admin/faults', undefined, 'DELETE'));

  it('redeems nothing when the lease write fails while the read is in flight: the row and the token stay as they were', async () => {
    const now = DateTime.utc();
    const row = await planned('window-lease-mailbox', now);
    const token = (await stack.secretClient(VAULT).getSecret('window-lease-mailbox')).value;
    tokenCalls = 0;
    settled.length = 0;
    await stack.admin('/admin/faults', { ...tokenReads('window-lease-mailbox'), action: { kind: 'latency', ms: 300 } });
    faults.inject(
      { table: tableNames.connections, when: writesLease },
      { kind: 'refuse', status: 403, code: 'AuthorizationFailure' },
      { times: Infinity },
    );
    const at = now.plus({ hours: 1 });
    await expect(refreshConnection(watched(), ref('window-lease-mailbox'), at, { plannedAt: at, planned: row })).rejects.toMatchObject({
      statusCode: 403,
    });
    expect(settled).toEqual(['lease']);
    faults.clear();
    expect(tokenCalls).toBe(0);
    expect(await rowOf('window-lease-mailbox')).toEqual(row);
    expect((await stack.secretClient(VAULT).getSecret('window-lease-mailbox')).value).toBe(token);
  });

  it('fails as transient when the read fails while the lease is pending, and gives the lease up', async () => {
    const now = DateTime.utc();
    const row = await planned('window-read-mailbox', now);
    tokenCalls = 0;
    settled.length = 0;
    await stack.admin('/admin/faults', { ...tokenReads('window-read-mailbox'), action: { kind: 'status', status: 503 }, times: 100 });
    faults.inject({ table: tableNames.connections, when: writesLease }, { kind: 'delay', ms: 300 }, { times: 1 });
    const at = now.plus({ hours: 1 });
    const run = await refreshConnection(watched(), ref('window-read-mailbox'), at, { plannedAt: at, planned: row });
    // Every try of the read (Vigil's own retries included) had failed before the lease was held.
    expect(settled.at(-1)).toBe('lease');
    expect(settled).toContain('read');
    expect(run).toMatchObject({
      kind: 'attempted',
      outcome: 'failed',
      state: { status: 'failing', failureClass: 'transient', lastErrorCode: 'KeyVault:HTTP 503' },
      leaseLost: false,
    });
    expect(tokenCalls).toBe(0);
    await stack.admin('/admin/faults', undefined, 'DELETE');
    // The lease was given up: a refresh a minute later, well inside its duration, takes it and redeems.
    expect(await refreshConnection(watched(), ref('window-read-mailbox'), at.plus({ minutes: 1 }))).toMatchObject({
      kind: 'attempted',
      outcome: 'refreshed',
    });
  });
});

describe('a scan whose storage failed midway', () => {
  it('a first scan whose findings cannot be stored saves no state; its retry stores every finding, announces each again under the same dedupe key, and sends the summary once', async () => {
    const tenant = stack.runtime.scanner.tenants.find((t) => t.tenantId === TENANT)!;
    const attempt = async (holder: string) => {
      const { target, deps } = stack.runtime.scanner.scanOf(tenant);
      const published: VigilEvent[] = [];
      const events = { publish: async (e: readonly VigilEvent[]) => (published.push(...e), deps.events.publish(e)) };
      // Every finding that can wait is counted in a scan.baseline, however few.
      const policy = { ...stack.runtime.scanner.policy, firstScanItems: 0 };
      const outcome = await scanTenant(target, { ...deps, events }, policy, DateTime.utc(), holder).catch((error: unknown) => error);
      return { outcome, published };
    };
    // The tenant's own finding rows refuse every write; its index and by-app rows, written beside them, land.
    faults.inject(
      { table: tableNames.findings, when: (r) => r.method !== 'GET' && !r.path.startsWith('/Tables') },
      { kind: 'refuse', status: 503 },
      { times: Infinity },
    );
    const failed = await attempt('message-0');
    faults.clear();
    expect(failed.outcome).toMatchObject({ statusCode: 503 });

    const retried = await attempt('message-0');
    expect(retried.outcome).toMatchObject({ kind: 'checked', baseline: true });
    const stored = (await stack.runtime.scanner.findings.list(TENANT)).map(findingKey).sort();
    expect(stored).not.toEqual([]);
    const indexed: string[] = [];
    for await (const f of stack.runtime.scanner.findings.all({ tenantId: undefined }, Date.now())) indexed.push(findingKey(f));
    expect(indexed.sort()).toEqual(stored);
    const credentialKeys = (p: VigilEvent[]) => p.filter((e) => e.type.startsWith('credential.')).map((e) => e.dedupeKey);
    expect(credentialKeys(retried.published)).not.toEqual([]);
    // Whatever the failed attempt announced, the retry announces under the same key: each route hears it once.
    expect(credentialKeys(retried.published)).toEqual(expect.arrayContaining(credentialKeys(failed.published)));
    // The summary names the stored list its readers fetch, and is sent once: only once the list is stored.
    const summaries = (p: VigilEvent[]) => p.filter((e) => e.type === 'scan.baseline').length;
    expect([summaries(failed.published), summaries(retried.published)]).toEqual([0, 1]);
  });

  it("is taken up by its message's redelivery at once, while another message still finds it busy", async () => {
    // Storing the findings and then the state (which gives the lease up) both fail.
    faults.inject({ table: tableNames.findings, method: 'POST' }, { kind: 'refuse', status: 503 }, { times: Infinity });
    faults.inject({ table: tableNames.scanState, method: 'PUT' }, { kind: 'refuse', status: 503 }, { times: Infinity });
    await expect(scanMessage(stack.runtime, 'message-1')).rejects.toMatchObject({ statusCode: 503 });
    faults.clear();

    await scanMessage(stack.runtime, 'message-2');
    expect(logs.at(-1)).toMatch(/is being scanned by another worker/);
    await scanMessage(stack.runtime, 'message-1');
    expect(logs.at(-1)).toMatch(/^information: scanned Home tenant \(/);
    expect(await stack.runtime.scanner.findings.list(TENANT)).not.toEqual([]);
  });

  it("takes the lease when the write that took it landed but its answer was lost (the SDK's retry then fails its condition)", async () => {
    faults.inject({ table: tableNames.scanState, method: 'PATCH' }, { kind: 'drop' });
    await scanMessage(stack.runtime, 'message-3');
    expect(logs.at(-1)).toMatch(/^information: scanned Home tenant \(/);
  });
});

describe('a refresh whose lease write landed but whose answer was lost', () => {
  it('holds the lease it took and refreshes, instead of leaving the connection leased to nobody', async () => {
    const keeper = stack.runtime.tokenKeeper;
    const deps = { ...toRefreshDeps(keeper, keeper.stores[0]!), events: { publish: async () => undefined } };
    // The first lease on a connection with no row yet is a create.
    faults.inject({ table: tableNames.connections, method: 'POST', when: (r) => !r.batch }, { kind: 'drop' });
    const run = await refreshConnection(deps, { vaultUrl: keeper.stores[0]!.vaultUrl, name: 'cerb-mailbox' }, DateTime.utc());
    expect(run).toMatchObject({ kind: 'attempted', outcome: 'refreshed' });
  });
});
