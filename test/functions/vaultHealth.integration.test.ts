import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRequest } from '../../functions/azureFunctions.js';
import type { FunctionDefinition } from '../../functions/FunctionDefinition.js';
import { getInventory } from '../../functions/getInventory.js';
import { refreshConnectionQueue } from '../../functions/refreshConnectionQueue.js';
import { refreshPlannerTimer } from '../../functions/refreshPlannerTimer.js';
import { scanPlannerTimer } from '../../functions/scanPlannerTimer.js';
import { createInvocationContext } from '../../local/devhost/invocationContext.js';
import { pollQueuesOnce } from '../../local/devhost/runQueueFunctions.js';
import { createTableEventLog } from '../../shared/adapters/storage/tableEventLog.js';
import { loadDashboardView } from '../../shared/dashboard/loadDashboardView.js';
import type { InventoryView } from '../../shared/inventory/toInventoryView.js';
import type { Runtime } from '../../shared/wiring/createRuntime.js';
import { createDashboardSources } from '../../shared/wiring/createDashboardSources.js';
import { startTestStack, type TestStack } from '../support/startTestStack.js';
import { TENANT } from '../support/testScenario.js';
import { tokenScenario } from '../shared/tokens/tokenScenario.js';
import { timerArgument } from '../../local/devhost/runTimerFunctions.js';

let stack: TestStack;
const logs: string[] = [];
const sink = (_name: string, level: string, message: string) => void logs.push(`${level}: ${message}`);
const timer = timerArgument(null);

beforeAll(async () => {
  stack = await startTestStack({ scenario: tokenScenario() });
});
afterAll(async () => stack.stop());

const runTimer = (definition: FunctionDefinition, runtime: Runtime) =>
  (definition as Extract<FunctionDefinition, { kind: 'timer' }>).handler(timer, createInvocationContext(definition.name, sink), runtime);
/** The same storage and vault, seen by an identity that lost its Key Vault role ("Vigil reader" has none). */
const withoutRole = () =>
  stack.runtimeWith({ VIGIL_CLIENT_ID: stack.cloud.seed!.appIds['Vigil reader']!, VIGIL_CLIENT_SECRET: 'vigil-reader-secret-0123456789' });
const vaultEvents = async () =>
  (await createTableEventLog(stack.runtime.table('events')).list(TENANT)).filter((e) => e.type.startsWith('vault.')).reverse();
async function inventory(): Promise<InventoryView> {
  const request = new HttpRequest({
    method: 'GET',
    url: 'http://localhost/api/inventory',
    headers: { authorization: `Bearer ${await stack.apiToken()}` },
  });
  const response = await (getInventory as Extract<FunctionDefinition, { kind: 'http' }>).handler(
    request,
    createInvocationContext('getInventory', sink),
    stack.runtime,
  );
  expect(response.status).toBe(200);
  return response.jsonBody as InventoryView;
}
const vaultRow = async () =>
  (await loadDashboardView(createDashboardSources(stack.runtime), {}, DateTime.utc())).health.find((h) => h.kind === 'vault');

describe('a vault Vigil can no longer list', () => {
  it('is alerted once as vault.failed with the missing role, shown as failed, keeps its connections, and recovers once', async () => {
    await runTimer(refreshPlannerTimer, stack.runtime);
    await pollQueuesOnce([refreshConnectionQueue], stack.runtime, (name) => stack.runtime.queue(name), sink);
    const connections = (await stack.runtime.tokenKeeper.states.list()).map((c) => c.name).sort();
    expect(connections).toContain('cerb-mailbox');
    expect(await vaultRow()).toMatchObject({ status: 'ok' });

    const lost = withoutRole();
    await runTimer(refreshPlannerTimer, lost);
    await runTimer(scanPlannerTimer, lost);

    const failed = await vaultEvents();
    expect(failed.map((e) => e.type)).toEqual(['vault.failed']);
    expect(failed[0]).toMatchObject({
      severity: 'high',
      subject: { kind: 'vault' },
      data: { code: 'Forbidden', missingRole: 'Key Vault Secrets Officer', consecutiveFailures: 1 },
    });
    expect(failed[0]!.summary).toMatch(/Missing role: Key Vault Secrets Officer/);
    expect((await stack.runtime.tokenKeeper.states.list()).map((c) => c.name).sort()).toEqual(connections);
    expect(await vaultRow()).toMatchObject({ status: 'failed', detail: expect.stringMatching(/missing Key Vault Secrets Officer/) });
    const [vault] = (await inventory()).vaults;
    expect(vault).toMatchObject({
      outcome: { kind: 'unchecked' },
      health: { status: 'failing', missingRole: 'Key Vault Secrets Officer', reason: expect.stringMatching(/refused/) },
    });

    await runTimer(refreshPlannerTimer, stack.runtime);
    await runTimer(scanPlannerTimer, stack.runtime);

    expect((await vaultEvents()).map((e) => e.type)).toEqual(['vault.failed', 'vault.recovered']);
    expect(await vaultRow()).toMatchObject({ status: 'ok' });
    expect((await inventory()).vaults[0]).toMatchObject({ health: { status: 'ok' } });
  });

  it('says nothing about one failed listing that passes', async () => {
    await stack.admin('/admin/faults', {
      service: 'keyvault',
      path: '^/secrets/?$',
      method: 'GET',
      action: { kind: 'status', status: 503 },
      times: 1,
    });
    await runTimer(refreshPlannerTimer, stack.runtime);
    expect(await vaultRow()).toMatchObject({ status: 'failed' });
    await runTimer(refreshPlannerTimer, stack.runtime);
    expect(await vaultRow()).toMatchObject({ status: 'ok' });
    expect((await vaultEvents()).map((e) => e.type)).toEqual(['vault.failed', 'vault.recovered']);
  });
});
