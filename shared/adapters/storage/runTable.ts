import type { TableClient } from '@azure/data-tables';
import type { DateTime } from 'luxon';
import { z } from 'zod';
import type { Producer } from '../../telemetry/vigilMetrics.js';
import { ensureTable } from './ensureTable.js';
import { toIsoUtc } from '../../helpers/toIsoUtc.js';

const PARTITION = 'completed';
const rowSchema = z.object({ rowKey: z.string(), completedAt: z.iso.datetime({ offset: true }) });

export interface RunTable {
  markCompleted(producer: Producer, at: DateTime): Promise<void>;
  lastCompleted(): Promise<Partial<Record<Producer, string>>>;
}

/**
 * Queue producers complete once per message (a delivery, a refresh): a process writes a producer's row at
 * most this often, so health stays within a minute without a Table write on every message.
 */
const MARK_EVERY_MS = 60_000;

/** One row per producer with the time its last run completed: what the health endpoint reports. */
export function createRunTable(table: TableClient): RunTable {
  const ready = ensureTable(table);
  const marked = new Map<Producer, number>();
  return {
    async markCompleted(producer, at) {
      const last = marked.get(producer);
      if (last !== undefined && at.toMillis() >= last && at.toMillis() - last < MARK_EVERY_MS) return;
      await ready();
      await table.upsertEntity({ partitionKey: PARTITION, rowKey: producer, completedAt: toIsoUtc(at) }, 'Replace');
      marked.set(producer, at.toMillis());
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
