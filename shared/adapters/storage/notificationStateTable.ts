import type { TableClient } from '@azure/data-tables';
import type { RouteState, Snooze } from '../../notifications/decideDeliveries.js';
import { stateKey } from '../../notifications/decideDeliveries.js';
import type { FindingRecord, NotificationState } from '../../notifications/NotificationState.js';
import { ensureTable, odataString } from './ensureTable.js';

/** Route names start with a letter or digit, so this row key never collides with one. */
const findingRow = '~finding';
const parallelReads = 16;

interface FindingRow extends Omit<FindingRecord, 'snooze'> {
  snooze?: string;
}

/**
 * Notification state in Table Storage, one partition per finding: a row per route (what that route was
 * last told) and a `~finding` row (the last event's facts and the snooze).
 */
export function createNotificationStateTable(table: TableClient): NotificationState {
  const ready = ensureTable(table);
  const readPartition = async (findingId: string) => {
    const rows: Array<Record<string, unknown> & { rowKey?: string }> = [];
    for await (const row of table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `PartitionKey eq ${odataString(findingId)}` },
    }))
      rows.push(row);
    return rows;
  };
  return {
    async load(findingIds) {
      await ready();
      const states = new Map<string, RouteState>();
      const snoozes = new Map<string, Snooze>();
      for (let i = 0; i < findingIds.length; i += parallelReads) {
        await Promise.all(
          findingIds.slice(i, i + parallelReads).map(async (id) => {
            for (const row of await readPartition(id)) {
              if (row.rowKey === findingRow) {
                if (typeof row['snooze'] === 'string' && row['snooze']) snoozes.set(id, JSON.parse(row['snooze']) as Snooze);
              } else states.set(stateKey(id, row.rowKey!), JSON.parse(row['state'] as string) as RouteState);
            }
          }),
        );
      }
      return { states, snoozes };
    },
    async save(changed) {
      await ready();
      await Promise.all(
        [...changed].map(([key, state]) => {
          const [findingId, route] = key.split('/') as [string, string];
          return table.upsertEntity({ partitionKey: findingId, rowKey: route, state: JSON.stringify(state) }, 'Replace');
        }),
      );
    },
    async recordFindings(records) {
      await ready();
      // Merge keeps the `snooze` property a person set.
      await Promise.all(records.map((r) => table.upsertEntity({ partitionKey: r.findingId, rowKey: findingRow, ...r }, 'Merge')));
    },
    async getFinding(findingId) {
      await ready();
      try {
        const { snooze, ...row } = await table.getEntity<FindingRow>(findingId, findingRow);
        const record: FindingRecord = {
          findingId: row.findingId,
          key: row.key,
          type: row.type,
          severity: row.severity,
          tenantId: row.tenantId,
          name: row.name,
          lastSeen: row.lastSeen,
          ...(row.endDateTime ? { endDateTime: row.endDateTime } : {}),
          ...(snooze ? { snooze: JSON.parse(snooze) as Snooze } : {}),
        };
        return record;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return undefined;
        throw error;
      }
    },
    async setSnooze(findingId, snooze) {
      await ready();
      await table.upsertEntity({ partitionKey: findingId, rowKey: findingRow, snooze: snooze ? JSON.stringify(snooze) : '' }, 'Merge');
    },
  };
}
