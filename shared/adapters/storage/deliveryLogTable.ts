import type { TableClient } from '@azure/data-tables';
import type { DeliveryLog, DeliveryLogEntry, EndpointSwitch } from '../../notifications/OutboxPorts.js';
import { ensureTable, odataString } from './ensureTable.js';

const logPartition = 'delivery';
const disabledPartition = 'disabled-endpoint';

/** Row keys sort newest first: inverted milliseconds, then the message and attempt for uniqueness. */
const rowKeyOf = (e: DeliveryLogEntry): string =>
  `${String(8_640_000_000_000_000 - Date.parse(e.at)).padStart(16, '0')}-${e.messageId}-${e.attempt}-${e.outcome}`;

/** The delivery log (`GET /api/notifications`) and the switch for endpoints that answered 410, in one table. */
export function createDeliveryLogTable(table: TableClient): DeliveryLog & EndpointSwitch {
  const ready = ensureTable(table);
  return {
    async record(entry) {
      await ready();
      await table.upsertEntity(
        { partitionKey: logPartition, rowKey: rowKeyOf(entry), route: entry.route, entry: JSON.stringify(entry) },
        'Replace',
      );
    },
    async list({ limit, route }) {
      await ready();
      const filter = `PartitionKey eq '${logPartition}'${route ? ` and route eq ${odataString(route)}` : ''}`;
      const entries: DeliveryLogEntry[] = [];
      for await (const row of table.listEntities<{ entry: string }>({ queryOptions: { filter } })) {
        entries.push(JSON.parse(row.entry) as DeliveryLogEntry);
        if (entries.length >= limit) break;
      }
      return entries;
    },
    async isDisabled(label, fingerprint) {
      await ready();
      try {
        const row = await table.getEntity<{ fingerprint: string }>(disabledPartition, encodeURIComponent(label));
        return row.fingerprint === fingerprint;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return false;
        throw error;
      }
    },
    async disable(label, fingerprint, reason, at) {
      await ready();
      await table.upsertEntity({ partitionKey: disabledPartition, rowKey: encodeURIComponent(label), fingerprint, reason, at }, 'Replace');
    },
  };
}
