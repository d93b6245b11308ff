import { randomUUID } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import type { AuditEntry, AuditLog } from '../../audit/AuditLog.js';
import { ensureTable } from './ensureTable.js';
import { statusOf } from '../azure/isTransientStatus.js';

interface AuditRow {
  entry: string;
  action: string;
  outcome: string;
}

/**
 * The audit trail in Table Storage: one partition per UTC day, newest first within it (inverted-time row
 * keys), so "what happened today" is one partition query. Rows are only ever added.
 */
export function createTableAuditLog(table: TableClient): AuditLog & { list(day: string): Promise<AuditEntry[]> } {
  const ready = ensureTable(table);
  return {
    async record(entry) {
      await ready();
      const time = Date.parse(entry.at);
      await table.createEntity<AuditRow>({
        partitionKey: entry.at.slice(0, 10),
        rowKey: `${String(8_640_000_000_000_000 - time).padStart(16, '0')}-${randomUUID()}`,
        action: entry.action,
        outcome: entry.outcome,
        entry: JSON.stringify(entry),
      });
    },
    async list(day) {
      const entries: AuditEntry[] = [];
      try {
        const filter = `PartitionKey eq '${day.replace(/'/g, "''")}'`;
        for await (const row of table.listEntities<AuditRow>({ queryOptions: { filter } }))
          entries.push(JSON.parse(row.entry) as AuditEntry);
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
      }
      return entries;
    },
  };
}
