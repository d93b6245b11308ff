import type { TableClient, TableEntityResult } from '@azure/data-tables';
import type { OutboxMessage } from '../../notifications/OutboxMessage.js';
import { odataString } from './ensureTable.js';
import { readEntity } from './readEntity.js';
import { describeIssues, headerContentSchema, itemRowSchema } from './outboxRows.js';

/** A row of a message's partition: its `header`, or one of its items. */
export type OutboxRow = Record<string, unknown> & { partitionKey: string; rowKey: string };
/** A message's header row as read, with its ETag: every write that says where a message stands is conditional on it. */
export type OutboxHeader = TableEntityResult<Record<string, unknown>>;
/** A message read whole, or why it cannot be (a damaged header or item, an item missing). */
export type LoadedMessage = { kind: 'message'; message: OutboxMessage } | { kind: 'unreadable'; reason: string };

/** Reads a message's rows for the outbox's store and its claims alike (outboxTable.ts, outboxClaims.ts). */
export interface OutboxReader {
  rowsOf: (id: string) => Promise<OutboxRow[]>;
  header: (id: string) => Promise<OutboxHeader | undefined>;
  /** The message whose header was read: its items, checked against the header's count. */
  read: (id: string, head: OutboxHeader) => Promise<LoadedMessage>;
}

export function createOutboxReader(table: TableClient): OutboxReader {
  const rowsOf = async (id: string): Promise<OutboxRow[]> => {
    const rows: OutboxRow[] = [];
    for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions: { filter: `PartitionKey eq ${odataString(id)}` } }))
      rows.push({ ...row, partitionKey: row.partitionKey ?? id, rowKey: row.rowKey ?? '' });
    return rows;
  };
  return {
    rowsOf,
    header: (id) => readEntity<Record<string, unknown>>(table, id, 'header'),
    read: async (id, head) => {
      const content = headerContentSchema.safeParse(head);
      if (!content.success) return { kind: 'unreadable', reason: describeIssues('header', content.error) };
      const items = (await rowsOf(id)).filter((r) => r.rowKey.startsWith('item-')).sort((a, b) => a.rowKey.localeCompare(b.rowKey));
      if (items.length !== content.data.count)
        return { kind: 'unreadable', reason: `header: says ${content.data.count} item(s), ${items.length} found` };
      const parsed = [];
      for (const row of items) {
        const item = itemRowSchema.safeParse(row);
        if (!item.success) return { kind: 'unreadable', reason: describeIssues(row.rowKey, item.error) };
        parsed.push(item.data.item);
      }
      const { route, channel, createdAt, held, fallbackFor } = content.data;
      return { kind: 'message', message: { id, route, channel, createdAt, held, items: parsed, ...(fallbackFor ? { fallbackFor } : {}) } };
    },
  };
}
