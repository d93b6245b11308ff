import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRequest } from '../../functions/azureFunctions.js';
import { functionDefinitions } from '../../functions/functionDefinitions.js';
import type { FunctionDefinition } from '../../functions/FunctionDefinition.js';
import { createInvocationContext } from '../../local/devhost/invocationContext.js';
import { collectTelemetry } from '../../local/devhost/collectTelemetry.js';
import { loadSettings } from '../../shared/settings/loadSettings.js';
import { createRuntime, type Runtime } from '../../shared/wiring/createRuntime.js';
import { startTestStack, type TestStack } from '../support/startTestStack.js';
import { TENANT } from '../support/testScenario.js';
import { timerArgument } from '../../local/devhost/runTimerFunctions.js';

let stack: TestStack;
let runtime: Runtime;
const telemetry = collectTelemetry();
const context = (name: string) => createInvocationContext(name, () => undefined);
const definition = <K extends FunctionDefinition['kind']>(name: string) =>
  functionDefinitions.find((d) => d.name === name) as Extract<FunctionDefinition, { kind: K }>;
const timer = timerArgument(null);
const health = async () => {
  const response = await definition<'http'>('getHealth').handler(
    new HttpRequest({ url: 'http://localhost/api/health', method: 'GET' }),
    context('getHealth'),
    runtime,
  );
  return {
    status: response.status,
    body: response.jsonBody as {
      status: string;
      lastCompleted: Record<string, string | null>;
      poisonedMessages: number;
      problems: string[];
    },
  };
};

beforeAll(async () => {
  stack = await startTestStack();
  runtime = createRuntime(loadSettings(stack.settingsValues), { telemetryExporters: telemetry.exporters });
});
afterAll(async () => {
  await runtime.telemetry.shutdown();
  await stack.stop();
});

describe('GET /api/health', () => {
  it('is anonymous, and degraded until scans and refresh planning have completed', async () => {
    expect(definition<'http'>('getHealth').authLevel).toBe('anonymous');
    const { status, body } = await health();
    expect(status).toBe(503);
    expect(body.problems).toEqual(['no scan run has completed yet', 'no refreshPlanner run has completed yet']);
  });

  it('is ok once they have, with the time of each, and nothing tenant-specific', async () => {
    await definition<'storageQueue'>('scanTenantQueue').handler({ tenantId: TENANT }, context('scanTenantQueue'), runtime);
    await definition<'timer'>('refreshPlannerTimer').handler(timer, context('refreshPlannerTimer'), runtime);
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(Date.parse(body.lastCompleted.scan!)).toBeGreaterThan(Date.now() - 60_000);
    expect(JSON.stringify(body)).not.toContain(TENANT);
  });

  it('reports parked messages as degraded, and counts them into the poison metric', async () => {
    const poison = runtime.queue('vigil-outbox-poison');
    await poison.createIfNotExists();
    await poison.sendMessage(Buffer.from('{"id":"x","attempt":6}').toString('base64'));
    const { status, body } = await health();
    expect(status).toBe(503);
    expect(body.poisonedMessages).toBe(1);
    await runtime.telemetry.flush();
    expect(telemetry.metric('poisonDepth')).toContainEqual({ dimensions: { queue: 'vigil-outbox-poison' }, value: 1 });
  });
});
