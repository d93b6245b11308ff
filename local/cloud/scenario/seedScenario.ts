import type { CloudStore } from '../state/CloudStore.js';
import { scenarioSchema, type Scenario } from './scenarioSchema.js';
import { SeedContext, type SeedResult } from './SeedContext.js';
import { seedTenants } from './seedTenants.js';
import { seedVaults } from './seedVaults.js';

export type { SeedResult } from './SeedContext.js';

/** Fills an empty store from a scenario: the directory, then the vaults (which may hold its secrets), then the webhook endpoints. */
export function seedScenario(store: CloudStore, input: Scenario): SeedResult {
  const scenario = scenarioSchema.parse(input);
  const seed = new SeedContext(store);
  seedTenants(seed, scenario.tenants);
  seedVaults(seed, scenario.vaults);
  for (const endpoint of scenario.webhookEndpoints) store.addWebhookEndpoint(endpoint);
  return seed.result;
}
