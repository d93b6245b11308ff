import type { TableClient, TransactionAction } from '@azure/data-tables';
import type { NotificationItem } from '../../notifications/NotificationItem.js';
import type { ChannelRef, OutboxMessage } from '../../notifications/OutboxMessage.js';
import type { OutboxStore } from '../../notifications/OutboxPorts.js';
import { chunks, ensureTable, odataString } from './ensureTable.js';

interface HeaderRow {
  route: string;
  channel: string;
  createdAt: string;
  held: boolean;
  count: number;
}

/**
 * The outbox in Table Storage: one partition per message, a `header` row and one row per item. A
 * 500-finding digest is hundreds of KB, far above a queue message's 64 KB and a property's 64 KB, so
 * items are rows (an event is a few KB) and the queue carries only the message id.
 */
export function createOutboxTable(table: TableClient): OutboxStore {
  const ready = ensureTable(table);
  const rowsOf = async (id: string) => {
    const rows: Array<{ partitionKey: string; rowKey: string; item?: string | undefined } & Partial<HeaderRow>> = [];
    for await (const row of table.listEntities<{ item?: string } & Partial<HeaderRow>>({
      queryOptions: { filter: `PartitionKey eq ${odataString(id)}` },
    })) {
      rows.push({ ...row, partitionKey: row.partitionKey ?? id, rowKey: row.rowKey ?? '' });
    }
    return rows;
  };
  const load = async (id: string): Promise<OutboxMessage | undefined> => {
    await ready();
    const rows = await rowsOf(id);
    const header = rows.find((r) => r.rowKey === 'header');
    if (!header) return undefined;
    const items = rows
      .filter((r) => r.rowKey.startsWith('item-'))
      .sort((a, b) => a.rowKey.localeCompare(b.rowKey))
      .map((r) => JSON.parse(r.item!) as NotificationItem);
    return {
      id,
      route: header.route!,
      channel: JSON.parse(header.channel!) as ChannelRef,
      createdAt: header.createdAt!,
      held: header.held ?? false,
      items,
    };
  };
  return {
    async save(messages) {
      await ready();
      for (const m of messages) {
        const header: TransactionAction = [
          'upsert',
          {
            partitionKey: m.id,
            rowKey: 'header',
            route: m.route,
            channel: JSON.stringify(m.channel),
            createdAt: m.createdAt,
            held: m.held,
            count: m.items.length,
          },
          'Replace',
        ];
        const items: TransactionAction[] = m.items.map((item, i) => [
          'upsert',
          { partitionKey: m.id, rowKey: `item-${String(i).padStart(6, '0')}`, item: JSON.stringify(item) },
          'Replace',
        ]);
        // The header goes last: a message is loadable only once all its items are written.
        for (const batch of chunks(items)) await table.submitTransaction(batch);
        await table.submitTransaction([header]);
      }
    },
    load,
    async remove(id) {
      await ready();
      const rows = await rowsOf(id);
      const header = rows.filter((r) => r.rowKey === 'header');
      const items = rows.filter((r) => r.rowKey !== 'header');
      // The header goes first, so a half-removed message reads as handled, never as a message with items missing.
      for (const batch of chunks([...header, ...items]))
        await table.submitTransaction(
          batch.map((r) => ['delete', { partitionKey: r.partitionKey, rowKey: r.rowKey }] as TransactionAction),
        );
    },
    async listHeld() {
      await ready();
      const ids: string[] = [];
      for await (const row of table.listEntities({ queryOptions: { filter: `RowKey eq 'header' and held eq true` } }))
        ids.push(row.partitionKey!);
      const messages = await Promise.all(ids.map(load));
      return messages.filter((m): m is OutboxMessage => m !== undefined);
    },
  };
}
