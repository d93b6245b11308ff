import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import type { Inventory } from '../../inventory/takeInventory.js';
import type { InventoryStore } from '../../inventory/InventoryPorts.js';
import { statusOf } from '../azure/isTransientStatus.js';
import { jsonText } from '../../helpers/jsonText.js';

const outcomeOf = <T extends z.ZodType>(value: T) =>
  jsonText(
    z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('checked'), value }),
      z.object({ kind: z.literal('unchecked'), reason: z.string() }),
    ]),
  );
const count = z.number().int().nonnegative();
const vaultOutcome = outcomeOf(z.object({ secrets: count, connections: count, expiring: count }));
const tenantOutcome = outcomeOf(z.object({ applications: count, servicePrincipals: count }));
const rowSchema = z.object({ partitionKey: z.enum(['vault', 'tenant']), source: z.string(), outcome: z.string(), takenAt: z.string() });

/** The latest inventory, one row per source, so the read API and later runs can see it. Rows are parsed with their schemas. */
export function createInventoryTable(table: TableClient): InventoryStore {
  return {
    async save(inventory) {
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
    },
    async read() {
      const inventory: Inventory = { takenAt: '', vaults: [], tenants: [] };
      try {
        for await (const entity of table.listEntities()) {
          const row = rowSchema.parse(entity);
          if (row.partitionKey === 'vault') inventory.vaults.push({ vaultUrl: row.source, outcome: vaultOutcome.parse(row.outcome) });
          else inventory.tenants.push({ tenantId: row.source, outcome: tenantOutcome.parse(row.outcome) });
          if (row.takenAt > inventory.takenAt) inventory.takenAt = row.takenAt;
        }
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
      return inventory.takenAt ? inventory : undefined;
    },
  };
}
