import type { TableClient } from '@azure/data-tables';
import type { EventPublisher } from '../../events/EventPublisher.js';
import type { VigilEvent } from '../../events/vigilEvent.js';

/**
 * Keeps every published event in Table Storage, newest first per tenant (inverted-time row keys), as the
 * audit trail of what Vigil observed. Channels hang off this through the notification pipeline.
 */
export function createTableEventLog(table: TableClient): EventPublisher & { list(tenantId?: string): Promise<VigilEvent[]> } {
  let created: Promise<unknown> | undefined;
  return {
    async publish(events) {
      created ??= table.createTable();
      await created;
      await Promise.all(
        events.map((event) =>
          // Upsert: a producer that publishes the same event again (a retried run) must not fail on the log.
          table.upsertEntity(
            {
              partitionKey: event.tenantId,
              rowKey: `${String(8_640_000_000_000_000 - Date.parse(event.time)).padStart(16, '0')}-${event.id}`,
              type: event.type,
              event: JSON.stringify(event),
            },
            'Replace',
          ),
        ),
      );
    },
    async list(tenantId) {
      const events: VigilEvent[] = [];
      try {
        const filter = tenantId ? { queryOptions: { filter: `PartitionKey eq '${tenantId.replace(/'/g, "''")}'` } } : {};
        for await (const row of table.listEntities<{ event: string }>(filter)) events.push(JSON.parse(row.event) as VigilEvent);
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      }
      return events;
    },
  };
}
