import type { CloudStore } from '../state/CloudStore.js';
import { scenarioSchema, type Scenario } from './scenarioSchema.js';
import { SeedContext, type PreparedCertificates, type SeedResult } from './SeedContext.js';
import { seedTenants } from './seedTenants.js';
import { seedVaults } from './seedVaults.js';

export type { SeedResult } from './SeedContext.js';

/**
 * Fills an empty store from a scenario: the directory, then the vaults (which may hold its secrets), then the
 * webhook endpoints. `certificates`: what prepareCertificates made for keys with `withPrivateKey`.
 */
export function seedScenario(store: CloudStore, input: Scenario, certificates?: PreparedCertificates): SeedResult {
  const scenario = scenarioSchema.parse(input);
  const seed = new SeedContext(store, certificates);
  seedTenants(seed, scenario.tenants);
  seedVaults(seed, scenario.vaults);
  for (const endpoint of scenario.webhookEndpoints) store.addWebhookEndpoint(endpoint);
  return seed.result;
}
