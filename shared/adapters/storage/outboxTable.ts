import type { TableClient, TransactionAction } from '@azure/data-tables';
import type { OutboxMessage } from '../../notifications/OutboxMessage.js';
import type { Claim, OutboxClaims, OutboxStore } from '../../notifications/OutboxPorts.js';
import { writeIfUnchanged } from './readEntity.js';
import { actionTransactions } from './actionTransactions.js';
import { chunks, ensureTable, odataString } from './ensureTable.js';
import { deliveredAt, isKept, toHeaderRow } from './outboxRows.js';
import { createConcurrencyLimit } from '../../helpers/createConcurrencyLimit.js';
import { createDeliveredIndex } from './deliveredIndex.js';
import { toIsoUtc } from '../../helpers/toIsoUtc.js';
import { describeError } from '../../helpers/describeError.js';
import { statusOf } from '../azure/isTransientStatus.js';
import { createOutboxReader, type OutboxRow as Row } from './outboxReader.js';
import { createOutboxClaims } from './outboxClaims.js';

/** A flush saves hundreds of messages (a mail per route, a webhook per event): this many at once, not one after another. */
const parallelSaves = 8;

/**
 * The outbox in Table Storage: one partition per message, a `header` row and one row per item. A
 * 500-finding digest is hundreds of KB, far above a queue message's 64 KB and a property's 64 KB, so
 * items are rows (an event is a few KB) and the queue carries only the message id. The header also says
 * where the message stands (pending, delivered, parked) and who holds it: every such write is
 * conditional on the row's ETag (the claims on it: outboxClaims.ts).
 */
export function createOutboxTable(table: TableClient): OutboxStore & OutboxClaims {
  const ready = ensureTable(table);
  const index = createDeliveredIndex(table);
  const reader = createOutboxReader(table);
  const { rowsOf, header, read } = reader;
  /** A message's items; its header goes after them, so a message is loadable only once all its items are written. */
  const writeItems = async (m: OutboxMessage): Promise<void> => {
    const items: TransactionAction[] = m.items.map((item, i) => [
      'upsert',
      { partitionKey: m.id, rowKey: itemKey(i), item: JSON.stringify(item) },
      'Replace',
    ]);
    for (const batch of actionTransactions(items)) await table.submitTransaction(batch);
  };
  /**
   * Deletes a message's rows, the header first, so a half-removed message reads as handled, never as one with
   * items missing; the failed removal indexes it, and the sweep removes what is left (rows with no header).
   */
  const deleteRows = async (rows: readonly Row[]): Promise<void> => {
    const ordered = [...rows.filter((r) => r.rowKey === 'header'), ...rows.filter((r) => r.rowKey !== 'header')];
    for (const batch of chunks(ordered))
      await table.submitTransaction(batch.map((r) => ['delete', { partitionKey: r.partitionKey, rowKey: r.rowKey }] as TransactionAction));
  };
  /**
   * A delivered message whose removal failed stays until the sweep removes it, so it goes into the index
   * now (an ordinary delivery is indexed only when this happens). The error says when even that failed,
   * including when its header cannot be read to tell whether and when it was delivered.
   */
  const keepForSweep = async (id: string, head: Row | undefined, error: unknown): Promise<unknown> => {
    try {
      const settledAt = deliveredAt(head ?? (await header(id)));
      // Not delivered (or gone): nothing for the sweep to find.
      if (!settledAt) return error;
      await index.record(id, settledAt);
      return error;
    } catch (indexError) {
      const why = `${describeError(error)}; it could not be indexed for the outbox sweep either (${describeError(indexError)})`;
      return new Error(`${why}: the delivered message stays in the outbox table until it is removed by hand`, { cause: error });
    }
  };
  const remove = async (id: string, claimed?: Claim): Promise<void> => {
    await ready();
    // A claim read the message whole, so its rows are known; a kept stand-in's are read, for its index row's date.
    // Only a message that goes in one transaction is removed from its claim: one transaction removes all or
    // nothing, so after a failure the header is still there to say it was delivered and index it for the sweep
    // (a larger message's header goes first, and a later failure would leave items nothing finds).
    const known = claimed && !claimed.kept ? rowsClaimed(claimed) : [];
    if (known.length > 0 && chunks(known).length === 1) {
      try {
        return await deleteRows(known);
      } catch (error) {
        // Already gone (a duplicate ticket removed it, or a later claim finished it): the transaction's 404.
        if (statusOf(error) === 404 && !(await header(id))) return;
        throw await keepForSweep(id, undefined, error);
      }
    }
    let head: Row | undefined;
    try {
      const rows = await rowsOf(id);
      head = rows.find((r) => r.rowKey === 'header');
      await deleteRows(rows);
    } catch (error) {
      throw await keepForSweep(id, head, error);
    }
    // A kept stand-in's index row goes with it (an ordinary message has none, unless a removal failed: the sweep drops that).
    const settledAt = deliveredAt(head);
    if (settledAt && head && isKept(head)) await index.forget(id, settledAt);
  };
  const removeAll = async (ids: readonly string[]): Promise<number> => {
    for (const id of ids) await remove(id);
    return ids.length;
  };
  const load = async (id: string): Promise<OutboxMessage | undefined> => {
    await ready();
    const head = await header(id);
    if (!head) return undefined;
    const loaded = await read(id, head);
    if (loaded.kind === 'unreadable') throw new Error(`outbox message ${id} is unreadable: ${loaded.reason}`);
    return loaded.message;
  };

  return {
    async save(messages) {
      await ready();
      // Messages are partitions of their own: a few at once, each header after its items.
      const limit = createConcurrencyLimit(parallelSaves);
      await Promise.all(
        messages.map((m) =>
          limit(async () => {
            await writeItems(m);
            await table.submitTransaction([['upsert', { partitionKey: m.id, rowKey: 'header', ...toHeaderRow(m) }, 'Replace']]);
          }),
        ),
      );
    },
    async saveNew(messages) {
      await ready();
      for (const m of messages) {
        if (await header(m.id)) continue;
        await writeItems(m);
        // An insert: of two writers of the same new message, the second finds it there (409) and leaves it.
        await writeIfUnchanged(() => table.createEntity({ partitionKey: m.id, rowKey: 'header', ...toHeaderRow(m) }));
      }
    },
    load,
    remove,
    async removeDelivered(before, max) {
      await ready();
      const beforeIso = toIsoUtc(before);
      let removed = 0;
      // The index's key range: a delivered message leaves at once, so it holds kept stand-ins and failed cleanups.
      for (const { id, settledAt } of await index.before(beforeIso, max)) {
        // One read of the message: its header says whether it is due, and the rows are what goes.
        const rows = await rowsOf(id);
        const head = rows.find((r) => r.rowKey === 'header');
        const deliveredOn = deliveredAt(head);
        // No header but rows: a removal cut short after the header went (deleteRows goes header first), indexed for this.
        const leftovers = !head && rows.length > 0;
        if (leftovers || (deliveredOn && deliveredOn < beforeIso)) {
          await deleteRows(rows);
          removed += 1;
        }
        // Then the row: removed with its message, or gone already, or its header was never marked (the claim had lapsed).
        await index.forget(id, settledAt);
      }
      if (removed >= max || !(await index.needsLegacyScan())) return removed;
      // Messages delivered before the index existed have no row in it: a scan of header rows finds them, until
      // a scan that was not cut short finds every one (then never again).
      const filter = `RowKey eq 'header' and status eq 'delivered' and settledAt lt ${odataString(beforeIso)}`;
      const ids: string[] = [];
      for await (const row of table.listEntities({ queryOptions: { filter, select: ['PartitionKey'] } })) {
        if (removed + ids.length >= max) return removed + (await removeAll(ids));
        ids.push(row.partitionKey!);
      }
      removed += await removeAll(ids);
      await index.legacyScanned(beforeIso);
      return removed;
    },
    async listHeld() {
      await ready();
      const ids: string[] = [];
      for await (const row of table.listEntities({ queryOptions: { filter: `RowKey eq 'header' and held eq true` } }))
        ids.push(row.partitionKey!);
      const messages = await Promise.all(ids.map(load));
      return messages.filter((m): m is OutboxMessage => m !== undefined);
    },
    ...createOutboxClaims(table, ready, reader, index),
  };
}

/** An item's row key: in order, as a partition lists its rows. */
const itemKey = (index: number): string => `item-${String(index).padStart(6, '0')}`;

/** A claimed message's rows, known from what its claim read: the header and one row per item. */
const rowsClaimed = (claim: Claim): Row[] => [
  { partitionKey: claim.messageId, rowKey: 'header' },
  ...Array.from({ length: claim.items }, (_, i) => ({ partitionKey: claim.messageId, rowKey: itemKey(i) })),
];
