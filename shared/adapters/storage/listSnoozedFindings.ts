import type { TableClient } from '@azure/data-tables';
import type { Snooze } from '../../notifications/decideDeliveries.js';
import type { FindingRecord } from '../../notifications/NotificationState.js';

/** The `~finding` rows of the notification state that carry a snooze (see notificationStateTable.ts). */
export async function listSnoozedFindings(table: TableClient): Promise<FindingRecord[]> {
  const records: FindingRecord[] = [];
  try {
    for await (const row of table.listEntities<Omit<FindingRecord, 'snooze'> & { snooze?: string }>({
      queryOptions: { filter: "RowKey eq '~finding'" },
    })) {
      if (!row.snooze) continue;
      const { snooze, ...rest } = row;
      records.push({
        findingId: rest.findingId,
        key: rest.key,
        type: rest.type,
        severity: rest.severity,
        tenantId: rest.tenantId,
        name: rest.name,
        lastSeen: rest.lastSeen,
        snooze: JSON.parse(snooze) as Snooze,
      });
    }
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return [];
    throw error;
  }
  return records;
}
