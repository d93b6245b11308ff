import type { InventoryStore, VaultHealthStore } from './InventoryPorts.js';
import { toInventoryView, type InventoryView } from './toInventoryView.js';

/** The latest inventory with each vault's listing health, as `GET /api/inventory` shows it; undefined before any run. */
export async function readInventoryView(deps: {
  store: InventoryStore;
  vaultHealth: VaultHealthStore;
  vaultUrls: readonly string[];
}): Promise<InventoryView | undefined> {
  const [inventory, health] = await Promise.all([deps.store.read(), deps.vaultHealth.list()]);
  return toInventoryView(inventory, health, deps.vaultUrls);
}
