import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionDefinitions } from '../../functions/functionDefinitions.js';
import type { FunctionDefinition } from '../../functions/FunctionDefinition.js';
import { collectTelemetry, type CollectedTelemetry } from '../../local/devhost/collectTelemetry.js';
import { createInvocationContext } from '../../local/devhost/invocationContext.js';
import { loadSettings } from '../../shared/settings/loadSettings.js';
import { createRuntime, type Runtime } from '../../shared/wiring/createRuntime.js';
import { startCertificateTenantStack } from '../support/certificateTenantStack.js';
import type { TestStack } from '../support/startTestStack.js';
import { OTHER_TENANT } from '../support/testScenario.js';

// A tenant Vigil signs in to as its multi-tenant app (createAppTokenCredential), as Application Insights shows its scan.

let stack: TestStack;
let runtime: Runtime;
let collected: CollectedTelemetry;
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

beforeAll(async () => {
  stack = await startCertificateTenantStack();
  collected = collectTelemetry();
  runtime = createRuntime(loadSettings(stack.settingsValues), { telemetryExporters: collected.exporters, clock: stack.cloud.clock });
});
afterAll(async () => {
  await runtime.telemetry.shutdown();
  await stack.stop();
});

describe("an app tenant's scan, instrumented", () => {
  it('records its sign-ins to the tenant as login dependencies of the invocation, a refused one with its status', async () => {
    // Northwind's token endpoint is unavailable: the one sign-in that tells the app's requests from Vigil's own (home, 200).
    await stack.admin('/admin/faults', {
      service: 'entra',
      path: `^/${OTHER_TENANT}/oauth2/v2.0/token$`,
      method: 'POST',
      action: { kind: 'status', status: 503 },
      times: 100,
    });
    const context = createInvocationContext('scanTenantQueue', () => undefined);
    context.traceContext = { traceParent: `00-${TRACE_ID}-00f067aa0ba902b7-01`, traceState: '', attributes: {} };
    const scan = functionDefinitions.find((d) => d.name === 'scanTenantQueue') as Extract<FunctionDefinition, { kind: 'storageQueue' }>;

    await scan.handler({ tenantId: OTHER_TENANT }, context, runtime);

    const loginOrigin = new URL(stack.cloud.endpoints.clouds.global!.login).origin;
    const signIns = collected.dependencies().filter((d) => d.url.startsWith(loginOrigin) && d.traceId === TRACE_ID);
    expect(signIns.filter((d) => d.status === 503)).not.toEqual([]);
    expect(collected.dependencies().every((d) => !d.url.includes('?'))).toBe(true);
  });
});
