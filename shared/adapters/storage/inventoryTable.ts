import type { TableClient } from '@azure/data-tables';
import type { Inventory } from '../../inventory/takeInventory.js';
import { statusOf } from '../azure/isTransientStatus.js';

/** Keeps the latest inventory, one row per source, so the read API and later runs can see it. */
export async function saveInventory(table: TableClient, inventory: Inventory): Promise<void> {
  await table.createTable();
  const rows = [
    ...inventory.vaults.map((v) => ({
      partitionKey: 'vault',
      rowKey: encodeURIComponent(v.vaultUrl),
      source: v.vaultUrl,
      outcome: JSON.stringify(v.outcome),
    })),
    ...inventory.tenants.map((t) => ({
      partitionKey: 'tenant',
      rowKey: t.tenantId,
      source: t.tenantId,
      outcome: JSON.stringify(t.outcome),
    })),
  ];
  await Promise.all(rows.map((row) => table.upsertEntity({ ...row, takenAt: inventory.takenAt }, 'Replace')));
}

export async function readInventory(table: TableClient): Promise<Inventory | undefined> {
  const inventory: Inventory = { takenAt: '', vaults: [], tenants: [] };
  try {
    for await (const row of table.listEntities<{ source: string; outcome: string; takenAt: string }>()) {
      const outcome = JSON.parse(row.outcome) as Inventory['vaults'][number]['outcome'];
      if (row.partitionKey === 'vault') inventory.vaults.push({ vaultUrl: row.source, outcome: outcome });
      else inventory.tenants.push({ tenantId: row.source, outcome: outcome as Inventory['tenants'][number]['outcome'] });
      if (row.takenAt > inventory.takenAt) inventory.takenAt = row.takenAt;
    }
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
  return inventory.takenAt ? inventory : undefined;
}
