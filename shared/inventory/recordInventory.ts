import type { DateTime } from 'luxon';
import { takeInventory, type Inventory } from './takeInventory.js';
import type { DirectoryReader, VaultReader, InventoryStore } from './InventoryPorts.js';

/** Takes an inventory of every vault and tenant and keeps it as the latest. */
export async function recordInventory(
  deps: { vaults: VaultReader[]; directories: DirectoryReader[]; store: InventoryStore },
  now: DateTime,
): Promise<Inventory> {
  const inventory = await takeInventory(deps, now);
  await deps.store.save(inventory);
  return inventory;
}
