import { createHash } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import type { EventPublisher } from '../../events/EventPublisher.js';
import type { VigilEvent } from '../../events/vigilEvent.js';

const statusOf = (error: unknown) => (error as { statusCode?: number }).statusCode;
const escapeOData = (value: string) => value.replace(/'/g, "''");

/**
 * A tenant's events spread over 256 partitions (`{tenant}~{00-ff}`, by the event id's hash). The log is
 * append-only, and appending every event of a tenant to one partition is Table Storage's documented
 * hot-partition anti-pattern (a partition serves about 2,000 entities/s); Azurite's lookups also slow
 * down with the size of a partition. Row keys are inverted times, so each shard lists newest first.
 */
const keysOf = (event: VigilEvent) => ({
  partitionKey: `${event.tenantId}~${createHash('sha256').update(event.id).digest('hex').slice(0, 2)}`,
  rowKey: `${String(8_640_000_000_000_000 - Date.parse(event.time)).padStart(16, '0')}-${event.id}`,
});

/**
 * Keeps every published event in Table Storage as the audit trail of what Vigil observed. Channels hang
 * off this through the notification pipeline.
 */
export function createTableEventLog(table: TableClient): EventPublisher & { list(tenantId?: string): Promise<VigilEvent[]> } {
  let created: Promise<unknown> | undefined;
  return {
    async publish(events) {
      created ??= table.createTable();
      await created;
      await Promise.all(
        events.map(async (event) => {
          try {
            await table.createEntity({ ...keysOf(event), type: event.type, event: JSON.stringify(event) });
          } catch (error) {
            // The same event id again is a retried run of its producer: it is in the log already.
            if (statusOf(error) !== 409) throw error;
          }
        }),
      );
    },
    /** Newest first: the shards merged by row key (inverted time). */
    async list(tenantId) {
      const rows: { rowKey: string; event: string }[] = [];
      const shards = tenantId
        ? { queryOptions: { filter: `PartitionKey ge '${escapeOData(tenantId)}~00' and PartitionKey le '${escapeOData(tenantId)}~ff'` } }
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
