import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRequest } from '../../functions/azureFunctions.js';
import { getInventory } from '../../functions/getInventory.js';
import { inventoryTimer } from '../../functions/inventoryTimer.js';
import { createInvocationContext } from '../../local/devhost/invocationContext.js';
import { startTestStack, type TestStack } from '../support/startTestStack.js';
import { TENANT } from '../support/testScenario.js';
import { timerArgument } from '../../local/devhost/runTimerFunctions.js';

let stack: TestStack;
const logs: string[] = [];
const context = (name: string) => createInvocationContext(name, (_n, _l, message) => logs.push(message));
const timer = timerArgument(null);

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack.stop());

const callGetInventory = async () => {
  if (getInventory.kind !== 'http') throw new Error('getInventory is an HTTP function');
  const headers = { authorization: `Bearer ${await stack.apiToken()}` };
  return getInventory.handler(
    new HttpRequest({ method: 'GET', url: 'http://localhost/api/inventory', headers }),
    context('getInventory'),
    stack.runtime,
  );
};

describe('inventory through the real SDKs against the local cloud', () => {
  it('answers 404 with a problem document before the first run', async () => {
    const response = await callGetInventory();
    expect(response.status).toBe(404);
    expect(JSON.parse(String(response.body))).toMatchObject({ status: 404, title: 'No inventory yet' });
  });

  it('lists vault secrets by tags and counts the tenant objects, then serves them over HTTP', async () => {
    if (inventoryTimer.kind !== 'timer') throw new Error('inventoryTimer is a timer');
    await inventoryTimer.handler(timer, context('inventoryTimer'), stack.runtime);
    const response = await callGetInventory();
    expect(response.status).toBe(200);
    const body = response.jsonBody as { vaults: Array<{ outcome: unknown }>; tenants: Array<{ tenantId: string; outcome: unknown }> };
    expect(body.vaults[0]!.outcome).toEqual({ kind: 'checked', value: { secrets: 2, connections: 1, expiring: 0 } });
    expect(body.tenants[0]).toMatchObject({ tenantId: TENANT, outcome: { kind: 'checked', value: { applications: 5 } } });
  });

  it('reports a vault it may not read as unchecked, never as empty', async () => {
    const reader = stack.runtimeWith({
      VIGIL_CLIENT_ID: stack.cloud.seed!.appIds['Vigil reader']!,
      VIGIL_CLIENT_SECRET: 'vigil-reader-secret-0123456789',
    });
    if (inventoryTimer.kind !== 'timer') throw new Error('inventoryTimer is a timer');
    await inventoryTimer.handler(timer, context('inventoryTimer'), reader);
    const body = (await callGetInventory()).jsonBody as {
      vaults: Array<{ outcome: { kind: string; reason?: string } }>;
      tenants: Array<{ outcome: { kind: string; reason?: string } }>;
    };
    expect(body.vaults[0]!.outcome).toMatchObject({ kind: 'unchecked', reason: expect.stringMatching(/HTTP 403 Forbidden/) });
    expect(body.tenants[0]!.outcome).toMatchObject({ kind: 'unchecked', reason: expect.stringMatching(/HTTP 403/) });
    expect(logs.join('\n')).toMatch(/could not check/);
  });
});
