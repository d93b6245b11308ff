import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import type { DeliveryLog, DeliveryLogEntry, EndpointSwitch, ReportLedger } from '../../notifications/OutboxPorts.js';
import { jsonText } from '../../helpers/jsonText.js';
import { readEntity } from './readEntity.js';
import { statusOf } from '../azure/isTransientStatus.js';
import { ensureTable, odataString } from './ensureTable.js';
import { toIsoUtc } from '../../helpers/toIsoUtc.js';
import { fromPageToken, toPageToken } from '../../paging/pageToken.js';
import { deliveryLogEntrySchema } from '../../notifications/deliveryLogEntrySchema.js';

const logPartition = 'delivery';
const disabledPartition = 'disabled-endpoint';
const reportedPartition = 'reported';

const entryRowSchema = z.object({ entry: jsonText(deliveryLogEntrySchema) });

const logFilter = (route: string | undefined) => `PartitionKey eq '${logPartition}'${route ? ` and route eq ${odataString(route)}` : ''}`;

/** A stored row as an entry; a row that does not parse is left out of the list, not allowed to break it. */
function toEntry(row: unknown): DeliveryLogEntry | undefined {
  const parsed = entryRowSchema.safeParse(row);
  if (!parsed.success) return undefined;
  const { retryInMs, ...entry } = parsed.data.entry;
  return { ...entry, ...(retryInMs === undefined ? {} : { retryInMs }) };
}

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
  const get = <T extends object>(partition: string, key: string) => readEntity<T>(table, partition, encodeURIComponent(key));
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
      const entries: DeliveryLogEntry[] = [];
      for await (const row of table.listEntities({ queryOptions: { filter: logFilter(route) } })) {
        const entry = toEntry(row);
        if (entry) entries.push(entry);
        if (entries.length >= limit) break;
      }
      return entries;
    },
    async page({ route }, { size, after }) {
      await ready();
      // The log is one partition in row-key order (newest first): Table Storage's continuation is the position.
      let continuation = after ? fromPageToken({ route: route ?? null }, after).continuation : undefined;
      const entries: DeliveryLogEntry[] = [];
      // A page may come back short (a service page ends early, a row does not parse): ask again until full.
      do {
        const pages = table
          .listEntities({ queryOptions: { filter: logFilter(route) } })
          .byPage({ maxPageSize: size - entries.length, ...(continuation ? { continuationToken: continuation } : {}) });
        const page = (await pages.next()).value as (Array<Record<string, unknown>> & { continuationToken?: string }) | undefined;
        for (const row of page ?? []) {
          const entry = toEntry(row);
          if (entry) entries.push(entry);
        }
        continuation = page?.continuationToken;
      } while (continuation && entries.length < size);
      return { entries, ...(continuation ? { next: toPageToken({ route: route ?? null }, { filter: 0, continuation }) } : {}) };
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
