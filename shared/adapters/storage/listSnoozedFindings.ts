import type { TableClient } from '@azure/data-tables';
import type { FindingRecord } from '../../notifications/NotificationState.js';
import { statusOf } from '../azure/isTransientStatus.js';
import { findingRow, parseFindingRow } from './notificationStateTable.js';

/**
 * The `~finding` rows of the notification state that carry a snooze (see notificationStateTable.ts),
 * without their stored event: the status page reads this on every view.
 */
export async function listSnoozedFindings(table: TableClient): Promise<FindingRecord[]> {
  const records: FindingRecord[] = [];
  try {
    const select = [
      'PartitionKey',
      'RowKey',
      'findingId',
      'key',
      'type',
      'severity',
      'tenantId',
      'name',
      'endDateTime',
      'lastSeen',
      'snooze',
    ];
    // A lifted snooze is stored as '' and a row never snoozed has no such property: neither matches.
    for await (const row of table.listEntities({ queryOptions: { filter: `RowKey eq '${findingRow}' and snooze ne ''`, select } })) {
      const record = parseFindingRow(row);
      if (record.snooze) records.push(record);
    }
  } catch (error) {
    if (statusOf(error) === 404) return [];
    throw error;
  }
  return records;
}
