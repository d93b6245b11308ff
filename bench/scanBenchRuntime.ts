import type { Azurite } from '../local/azurite/startAzurite.js';
import { tableNames, type TableRole } from '../shared/adapters/storage/tableNames.js';
import { loadSettings } from '../shared/settings/loadSettings.js';
import { createRuntime, type Runtime } from '../shared/wiring/createRuntime.js';
import type { BenchCloud } from './BenchCloud.js';
import { withBenchTelemetry } from './benchTelemetry.js';
import { countRequests, newCounter, type StorageCounter } from './countStorageRequests.js';
import { SCAN_HOME_TENANT, SCAN_VAULT, SCAN_VIGIL_APP_ID, SCAN_VIGIL_SECRET } from './scanBenchScenario.js';

/** The scope of Vigil's own Graph token, asked for once before the measured work so it is not measured. */
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** The production runtime over the bench cloud and Azurite, as the Functions host would build it from its settings. */
export function scanBenchRuntime(cloud: BenchCloud, azurite: Azurite, extra: Record<string, string> = {}): Runtime {
  const global = cloud.endpoints.clouds.global!;
  return createRuntime(
    loadSettings({
      VIGIL_TENANT_ID: SCAN_HOME_TENANT,
      VIGIL_CLIENT_ID: SCAN_VIGIL_APP_ID,
      VIGIL_CLIENT_SECRET: SCAN_VIGIL_SECRET,
      VIGIL_CLOUD_ENDPOINTS: JSON.stringify({ global: { login: global.login, graph: global.graph } }),
      VIGIL_KEY_VAULT_URLS: cloud.endpoints.vaults[SCAN_VAULT]!,
      AzureWebJobsStorage: azurite.connectionString,
      ...extra,
    }),
    withBenchTelemetry(),
  );
}

const storageCounters = new WeakMap<Runtime, StorageCounter>();
/** Every Table Storage request of the runtime's tables, counted from the first call on (rows are not parsed twice: memory is measured too). */
export function storageOf(runtime: Runtime): StorageCounter {
  let counter = storageCounters.get(runtime);
  if (!counter) {
    counter = newCounter();
    for (const role of Object.keys(tableNames) as TableRole[]) countRequests(runtime.table(role), counter, { rows: false });
    storageCounters.set(runtime, counter);
  }
  return counter;
}
