import type { TableClient } from '@azure/data-tables';
import type { DateTime } from 'luxon';
import { z } from 'zod';
import type { Producer } from '../../telemetry/vigilMetrics.js';
import { ensureTable } from './ensureTable.js';

const PARTITION = 'completed';
const rowSchema = z.object({ rowKey: z.string(), completedAt: z.iso.datetime({ offset: true }) });

export interface RunTable {
  markCompleted(producer: Producer, at: DateTime): Promise<void>;
  lastCompleted(): Promise<Partial<Record<Producer, string>>>;
}

/** One row per producer with the time its last run completed: what the health endpoint reports. */
export function createRunTable(table: TableClient): RunTable {
  const ready = ensureTable(table);
  return {
    async markCompleted(producer, at) {
      await ready();
      await table.upsertEntity({ partitionKey: PARTITION, rowKey: producer, completedAt: at.toUTC().toISO() }, 'Replace');
    },
    async lastCompleted() {
      await ready();
      const last: Partial<Record<Producer, string>> = {};
      for await (const entity of table.listEntities({ queryOptions: { filter: `PartitionKey eq '${PARTITION}'` } })) {
        const row = rowSchema.safeParse(entity);
        if (row.success) last[row.data.rowKey as Producer] = row.data.completedAt;
      }
      return last;
    },
  };
}
