import { createHash } from 'node:crypto';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import type { EventPublisher } from '../../events/EventPublisher.js';
import type { VigilEvent } from '../../events/vigilEvent.js';
import { statusOf } from '../azure/isTransientStatus.js';
import { chunks, ensureTable, odataString } from './ensureTable.js';

/**
 * One shard of 256 per tenant (`{tenant}~{00-ff}`), chosen by the hash of the event's time: appending
 * every event of a tenant to one partition is Table Storage's documented hot-partition anti-pattern (a
 * partition serves about 2,000 entities/s), and Azurite's lookups slow down with the size of a
 * partition. The events of one publish share their time (the producer's `now`), so they share a shard
 * and are written as transactions of up to 100 rather than one request each. The shard comes from the
 * event alone, never from its batch, so the same event always lands on the same row.
 */
const shardOf = (event: VigilEvent) => `${event.tenantId}~${createHash('sha256').update(event.time).digest('hex').slice(0, 2)}`;

/** Inverted time first, so each shard lists newest first; the id keeps rows of one instant apart. */
const rowKeyOf = (event: VigilEvent) => `${String(8_640_000_000_000_000 - Date.parse(event.time)).padStart(16, '0')}-${event.id}`;

/**
 * Keeps every published event in Table Storage as the audit trail of what Vigil observed. Channels hang
 * off this through the notification pipeline. Writes are idempotent: an event published again (a
 * retried step, alone or in another batch) replaces its own row, by shard and row key from its id.
 */
export function createTableEventLog(table: TableClient): EventPublisher & { list(tenantId?: string): Promise<VigilEvent[]> } {
  const ready = ensureTable(table);
  return {
    async publish(events) {
      await ready();
      const byShard = new Map<string, TransactionAction[]>();
      for (const event of events) {
        const partitionKey = shardOf(event);
        const action: TransactionAction = [
          'upsert',
          { partitionKey, rowKey: rowKeyOf(event), type: event.type, event: JSON.stringify(event) },
          'Replace',
        ];
        byShard.set(partitionKey, [...(byShard.get(partitionKey) ?? []), action]);
      }
      const writes = [...byShard.values()].flatMap((actions) => chunks(actions));
      // A lone event (each refresh publishes one) goes as a plain request: a transaction costs more for one row.
      await Promise.all(
        writes.map(([only, ...more]) =>
          more.length === 0 ? table.upsertEntity(only![1], 'Replace') : table.submitTransaction([only!, ...more]),
        ),
      );
    },
    /** Newest first: the shards merged by row key (inverted time). */
    async list(tenantId) {
      const rows: { rowKey: string; event: string }[] = [];
      const shards = tenantId
        ? {
            queryOptions: {
              filter: `PartitionKey ge ${odataString(`${tenantId}~00`)} and PartitionKey le ${odataString(`${tenantId}~ff`)}`,
            },
          }
        : {};
      try {
        for await (const row of table.listEntities<{ event: string }>(shards)) rows.push({ rowKey: row.rowKey!, event: row.event });
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
      }
      return rows
        .sort((a, b) => (a.rowKey < b.rowKey ? -1 : a.rowKey > b.rowKey ? 1 : 0))
        .map((row) => JSON.parse(row.event) as VigilEvent);
    },
  };
}
