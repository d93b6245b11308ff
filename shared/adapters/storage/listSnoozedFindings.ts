import type { TableClient } from '@azure/data-tables';
import type { FindingRecord } from '../../notifications/NotificationState.js';
import { statusOf } from '../azure/isTransientStatus.js';
import { findingRow, toFindingRecord } from './notificationStateTable.js';

/** The `~finding` rows of the notification state that carry a snooze (see notificationStateTable.ts). */
export async function listSnoozedFindings(table: TableClient): Promise<FindingRecord[]> {
  const records: FindingRecord[] = [];
  try {
    for await (const row of table.listEntities({ queryOptions: { filter: `RowKey eq '${findingRow}'` } })) {
      const record = toFindingRecord(row);
      if (record.snooze) records.push(record);
    }
  } catch (error) {
    if (statusOf(error) === 404) return [];
    throw error;
  }
  return records;
}
