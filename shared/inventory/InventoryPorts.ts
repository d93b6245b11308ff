import type { Inventory } from './takeInventory.js';

/** Where the latest inventory is kept for the read API and the local run summary. */
export interface InventoryStore {
  save(inventory: Inventory): Promise<void>;
  /** The latest inventory; undefined before the first was saved. */
  read(): Promise<Inventory | undefined>;
}
