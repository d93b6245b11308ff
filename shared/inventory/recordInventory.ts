import type { DateTime } from 'luxon';
import { takeInventory, type DirectoryReader, type Inventory, type InventoryStore, type VaultReader } from './takeInventory.js';

/** Takes an inventory of every vault and tenant and keeps it as the latest. */
export async function recordInventory(
  deps: { vaults: VaultReader[]; directories: DirectoryReader[]; store: InventoryStore },
  now: DateTime,
): Promise<Inventory> {
  const inventory = await takeInventory(deps, now);
  await deps.store.save(inventory);
  return inventory;
}
