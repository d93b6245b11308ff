import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import type { DeliveryLog, DeliveryLogEntry, EndpointSwitch, ReportLedger } from '../../notifications/OutboxPorts.js';
import { jsonText } from '../../core/jsonText.js';
import { statusOf } from '../azure/isTransientStatus.js';
import { ensureTable, odataString } from './ensureTable.js';
import { toIsoUtc } from '../../core/toIsoUtc.js';

const logPartition = 'delivery';
const disabledPartition = 'disabled-endpoint';
const reportedPartition = 'reported';

const entrySchema = z.object({
  at: z.string(),
  messageId: z.string(),
  route: z.string(),
  channel: z.string(),
  attempt: z.number().int(),
  outcome: z.enum(['delivered', 'retrying', 'fallback', 'poisoned', 'dropped']),
  detail: z.string(),
  retryInMs: z.number().optional(),
  items: z.number().int(),
  findings: z.array(z.string()),
  types: z.array(z.string()),
});
const entryRowSchema = z.object({ entry: jsonText(entrySchema) });

/** Row keys sort newest first: inverted milliseconds, then the message and attempt for uniqueness. */
const rowKeyOf = (e: DeliveryLogEntry): string =>
  `${String(8_640_000_000_000_000 - Date.parse(e.at)).padStart(16, '0')}-${e.messageId}-${e.attempt}-${e.outcome}`;

/**
 * The delivery's bookkeeping in one table: the delivery log (`GET /api/notifications`), the switch for
 * endpoints that answered 410 and the ledger of reports sent. (Rows of the retired poison-queue watermarks,
 * partition `poison-watermark`, are no longer read: the watcher moves what it reported instead.)
 */
export function createDeliveryLogTable(table: TableClient): DeliveryLog & EndpointSwitch & ReportLedger {
  const ready = ensureTable(table);
  const get = async <T extends object>(partition: string, key: string) => {
    try {
      return await table.getEntity<T>(partition, encodeURIComponent(key));
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  };
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
      for await (const row of table.listEntities({ queryOptions: { filter } })) {
        // A row that does not parse is left out of the list, not allowed to break it.
        const parsed = entryRowSchema.safeParse(row);
        if (parsed.success) {
          const { retryInMs, ...entry } = parsed.data.entry;
          entries.push({ ...entry, ...(retryInMs === undefined ? {} : { retryInMs }) });
        }
        if (entries.length >= limit) break;
      }
      return entries;
    },
    async isDisabled(label, fingerprint) {
      await ready();
      return (await get<{ fingerprint?: unknown }>(disabledPartition, label))?.fingerprint === fingerprint;
    },
    async disable(label, fingerprint, reason, at) {
      await ready();
      await table.upsertEntity({ partitionKey: disabledPartition, rowKey: encodeURIComponent(label), fingerprint, reason, at }, 'Replace');
    },
    async firstSince(key, now, everyMs) {
      await ready();
      const row = await get<{ at?: unknown }>(reportedPartition, key);
      if (typeof row?.at === 'string' && Date.parse(row.at) > now.toMillis() - everyMs) return false;
      const entity = { partitionKey: reportedPartition, rowKey: encodeURIComponent(key), at: toIsoUtc(now) };
      try {
        // Conditional, so of two workers reporting the same thing at once only one does.
        await (row ? table.updateEntity(entity, 'Replace', { etag: row.etag }) : table.createEntity(entity));
        return true;
      } catch (error) {
        if (statusOf(error) === 409 || statusOf(error) === 412) return false;
        throw error;
      }
    },
  };
}
