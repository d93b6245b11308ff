import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanTenantQueue } from '../../../functions/scanTenantQueue.js';
import { collectTelemetry } from '../../../local/devhost/collectTelemetry.js';
import { createInvocationContext } from '../../../local/devhost/invocationContext.js';
import { loadSettings } from '../../../shared/settings/loadSettings.js';
import { createRuntime, type Runtime } from '../../../shared/wiring/createRuntime.js';
import { startTestStack, type TestStack } from '../../support/startTestStack.js';
import { TENANT, VAULT, VIGIL_SECRET } from '../../support/testScenario.js';

const SECRET_NAME = 'customers-secret';
const customers = ['44444444-4444-4444-8444-444444444444', '55555555-5555-4555-8555-555555555555'];

let stack: TestStack;
let runtime: Runtime;
const telemetry = collectTelemetry();

beforeAll(async () => {
  stack = await startTestStack();
  await stack.secretClient(VAULT).setSecret(SECRET_NAME, VIGIL_SECRET);
  const settings = loadSettings({
    ...stack.settingsValues,
    VIGIL_TENANTS: JSON.stringify(
      customers.map((tenantId, i) => ({
        tenantId,
        displayName: `Customer ${i + 1}`,
        cloud: 'usgov',
        auth: { kind: 'clientSecret', clientId: TENANT, keyVaultSecretName: SECRET_NAME },
      })),
    ),
  });
  const global = settings.VIGIL_CLOUD_ENDPOINTS!.global!;
  // A login host that makes no URL for the customers' cloud: every read of every tenant fails the same way, as a
  // request Vigil could not make (vigilFault). The settings refuse such a host; the runtime is given it past them.
  runtime = createRuntime(
    { ...settings, VIGIL_CLOUD_ENDPOINTS: { ...settings.VIGIL_CLOUD_ENDPOINTS, usgov: { ...global, login: 'not a login host' } } },
    { telemetryExporters: telemetry.exporters },
  );
});
afterAll(async () => {
  await runtime.telemetry.shutdown();
  await stack.stop();
});

describe("the scanner's vigilFault log, one per process", () => {
  it("leaves one warning for two tenants' scans, each run twice, with no tenant on it", async () => {
    if (scanTenantQueue.kind !== 'storageQueue') throw new Error('scanTenantQueue is a queue function');
    const lines: string[] = [];
    for (const tenantId of [...customers, ...customers])
      await scanTenantQueue.handler(
        { tenantId },
        createInvocationContext('scanTenantQueue', (_n, _l, line) => lines.push(line)),
        runtime,
      );
    // Every scan fails and says why, for each tenant, every time: only the trace is logged once.
    expect(
      lines.filter((line) => /^could not scan Customer \d: Vigil could not make its request to the tenant \(TypeError\)/.test(line)),
    ).toHaveLength(4);

    await runtime.telemetry.flush();
    const faults = telemetry.logs().filter((entry) => entry.message.includes('(vigilFault)'));
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatchObject({
      level: 'warn',
      message: expect.stringMatching(/^Graph request Vigil could not make \(vigilFault\): TypeError/),
    });
    expect(faults[0]!.properties).not.toHaveProperty('tenantId');
    expect(faults[0]!.message).not.toContain('not a login host');
  });
});
