import { startAzurite, type Azurite } from '../../local/azurite/startAzurite.js';
import { withLocalEndpoints } from '../../local/devhost/localSettings.js';
import { loadSettings } from '../../shared/settings/loadSettings.js';
import { createRuntime, type Runtime } from '../../shared/wiring/createRuntime.js';
import { startStorageFaultProxy, type StorageFaultProxy } from './storageFaultProxy.js';
import { startTestCloud, withApiOperator, type TestCloud } from './startTestCloud.js';
import { TENANT, VIGIL_SECRET, testScenario } from './testScenario.js';
import type { LocalCloudOptions } from '../../local/cloud/startLocalCloud.js';

export interface TestStack extends TestCloud {
  /** Azurite itself: its connection string bypasses any storage fault proxy, to read what was really stored. */
  azurite: Azurite;
  /** The settings values Vigil runs with against this stack (as the dev host would pass them). */
  settingsValues: Record<string, string>;
  /** A runtime built exactly as in production, from settings only. */
  runtime: Runtime;
  /** Another runtime with some settings changed (e.g. a lower threshold). */
  runtimeWith(overrides: Record<string, string>): Runtime;
}

/** The test scenario's identity and schedules, before endpoints are filled in. */
export function baseTestSettings(cloud: TestCloud): Record<string, string> {
  return {
    VIGIL_CLOUD: 'global',
    VIGIL_TENANT_ID: TENANT,
    VIGIL_CLIENT_ID: cloud.cloud.seed!.appIds['Vigil']!,
    VIGIL_CLIENT_SECRET: VIGIL_SECRET,
    // Each publish is its own digest, sent at once: tests that are not about windows see what they published.
    VIGIL_DIGEST_WINDOW_SECONDS: '0',
  };
}

export type TestStackOptions = Partial<LocalCloudOptions> & {
  settings?: Record<string, string>;
  /** Put a storage fault proxy between Vigil and Azurite; Vigil's settings then point at the proxy. */
  storageFaults?: boolean;
};

/** Local cloud + in-memory Azurite + a production-wired runtime, on free ports, for one test file. */
export async function startTestStack(
  options: TestStackOptions & { storageFaults: true },
): Promise<TestStack & { storageFaults: StorageFaultProxy }>;
export async function startTestStack(options?: TestStackOptions): Promise<TestStack>;
export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack & { storageFaults?: StorageFaultProxy }> {
  const { settings, storageFaults, ...cloudOptions } = options;
  // Stacks run Vigil's HTTP functions, so their directory always has the API and an operator to call it.
  const [cloud, azurite] = await Promise.all([
    startTestCloud({ ...cloudOptions, scenario: withApiOperator(cloudOptions.scenario ?? testScenario()) }),
    startAzurite(),
  ]);
  const proxy = storageFaults ? await startStorageFaultProxy(azurite) : undefined;
  const settingsValues = { ...withLocalEndpoints(baseTestSettings(cloud), cloud.cloud.endpoints, proxy ?? azurite), ...settings };
  // Vigil's requests to Entra are dated by the local cloud's clock, which tests move, as Entra's checks are.
  const runtimeWith = (overrides: Record<string, string>) =>
    createRuntime(loadSettings({ ...settingsValues, ...overrides }), { clock: cloud.cloud.clock });
  return {
    ...cloud,
    azurite,
    ...(proxy ? { storageFaults: proxy } : {}),
    settingsValues,
    runtime: runtimeWith({}),
    runtimeWith,
    async stop() {
      await proxy?.stop();
      await Promise.all([cloud.stop(), azurite.stop()]);
    },
  };
}
