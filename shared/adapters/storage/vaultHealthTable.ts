import type { TableClient } from '@azure/data-tables';
import type { VaultHealth } from '../../inventory/VaultHealth.js';
import type { VaultHealthStore } from '../../inventory/InventoryPorts.js';
import { vaultHealthSchema } from '../../inventory/vaultHealthSchema.js';
import { ensureTable } from './ensureTable.js';
import { parseStored } from './parseStored.js';
import { readEntity, writeIfUnchanged } from './readEntity.js';

const PARTITION = 'vault';
/** Table keys may not hold `/`: the row key is the vault URL in base64url. */
const rowKeyOf = (vaultUrl: string) => Buffer.from(vaultUrl.replace(/\/+$/, '').toLowerCase(), 'utf8').toString('base64url');

interface HealthRow {
  status: string;
  health: string;
}

/**
 * Each watched vault's health, one row per vault, written with an ETag condition: the refresh and scan
 * planners record at the same hour, and neither may overwrite the other's check unseen. A row that does
 * not parse reads as no row (the next check writes it anew).
 */
export function createVaultHealthTable(table: TableClient): VaultHealthStore {
  const ready = ensureTable(table);
  const parse = (row: HealthRow): VaultHealth | undefined => parseStored(vaultHealthSchema, row.health);
  return {
    async list() {
      await ready();
      const all: VaultHealth[] = [];
      for await (const row of table.listEntities<HealthRow>({ queryOptions: { filter: `PartitionKey eq '${PARTITION}'` } })) {
        const health = parse(row);
        if (health) all.push(health);
      }
      return all;
    },
    async read(vaultUrl) {
      await ready();
      const row = await readEntity<HealthRow>(table, PARTITION, rowKeyOf(vaultUrl));
      return { health: row && parse(row), version: row?.etag };
    },
    async write(health, version) {
      await ready();
      const entity = { partitionKey: PARTITION, rowKey: rowKeyOf(health.vaultUrl), status: health.status, health: JSON.stringify(health) };
      return writeIfUnchanged(() =>
        version === undefined ? table.createEntity<HealthRow>(entity) : table.updateEntity<HealthRow>(entity, 'Replace', { etag: version }),
      );
    },
  };
}
