import { randomUUID } from 'node:crypto';
import type { TableClient, TableEntityResult, TransactionAction } from '@azure/data-tables';
import { channelLabel, keptOnceDelivered, type OutboxMessage } from '../../notifications/OutboxMessage.js';
import type { Claim, ClaimResult, OutboxClaims, OutboxStore } from '../../notifications/OutboxPorts.js';
import { etagIfUnchanged, readEntity, writeIfUnchanged } from './readEntity.js';
import { chunks, ensureTable, odataString } from './ensureTable.js';
import {
  describeIssues,
  fromDeliveryRecord,
  headerContentSchema,
  itemRowSchema,
  recordRowSchema,
  toDeliveryRecord,
  toHeaderRow,
} from './outboxRows.js';
import { createConcurrencyLimit } from '../../helpers/createConcurrencyLimit.js';
import { createDeliveredIndex } from './deliveredIndex.js';
import { toIsoUtc } from '../../helpers/toIsoUtc.js';
import { describeError } from '../../helpers/describeError.js';
import { statusOf } from '../azure/isTransientStatus.js';

type Row = Record<string, unknown> & { partitionKey: string; rowKey: string };
/** A flush saves hundreds of messages (a mail per route, a webhook per event): this many at once, not one after another. */
const parallelSaves = 8;
type Header = TableEntityResult<Record<string, unknown>>;
type Loaded = { kind: 'message'; message: OutboxMessage } | { kind: 'unreadable'; reason: string };

/**
 * The outbox in Table Storage: one partition per message, a `header` row and one row per item. A
 * 500-finding digest is hundreds of KB, far above a queue message's 64 KB and a property's 64 KB, so
 * items are rows (an event is a few KB) and the queue carries only the message id. The header also says
 * where the message stands (pending, delivered, parked) and who holds it: every such write is
 * conditional on the row's ETag.
 */
export function createOutboxTable(table: TableClient): OutboxStore & OutboxClaims {
  const ready = ensureTable(table);
  const index = createDeliveredIndex(table);
  const rowsOf = async (id: string): Promise<Row[]> => {
    const rows: Row[] = [];
    for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions: { filter: `PartitionKey eq ${odataString(id)}` } }))
      rows.push({ ...row, partitionKey: row.partitionKey ?? id, rowKey: row.rowKey ?? '' });
    return rows;
  };
  const header = (id: string): Promise<Header | undefined> => readEntity<Record<string, unknown>>(table, id, 'header');
  const read = async (id: string, head: Header): Promise<Loaded> => {
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
  };
  /** A message's items; its header goes after them, so a message is loadable only once all its items are written. */
  const writeItems = async (m: OutboxMessage): Promise<void> => {
    const items: TransactionAction[] = m.items.map((item, i) => [
      'upsert',
      { partitionKey: m.id, rowKey: itemKey(i), item: JSON.stringify(item) },
      'Replace',
    ]);
    for (const batch of chunks(items)) await table.submitTransaction(batch);
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
    async claim(ticket, until, now) {
      await ready();
      for (;;) {
        const head = await header(ticket.id);
        if (!head) return { kind: 'missing' };
        const decided = decide(head, ticket.attempt, now.toMillis());
        if (decided) return decided;
        const loaded = await read(ticket.id, head);
        const row = recordRowSchema.parse(head);
        if (loaded.kind === 'unreadable') return { kind: 'unreadable', reason: loaded.reason, parked: false, ...labelsOf(head) };
        const token = await etagIfUnchanged(() =>
          table.updateEntity(
            { partitionKey: ticket.id, rowKey: 'header', claimUntil: toIsoUtc(until), claimHolder: randomUUID() },
            'Merge',
            { etag: head.etag },
          ),
        );
        // Another copy wrote first: read again, it now holds the claim (or has settled).
        if (token === false) continue;
        const record = toDeliveryRecord(row);
        if (record.status === 'delivered') return { kind: 'delivered', record, kept: keptOnceDelivered(loaded.message) }; // decided above; narrows the type
        const kept = keptOnceDelivered(loaded.message);
        const claim = { messageId: ticket.id, token, until: toIsoUtc(until), kept, items: loaded.message.items.length };
        return { kind: 'claimed', message: loaded.message, record, claim };
      }
    },
    async settle(claim, record) {
      // A kept stand-in is indexed before its header says delivered, so the sweep always finds it; any other
      // delivery only dates the index (one write per process), for the scan of messages older code delivered.
      if (record.status === 'delivered') await (claim.kept ? index.record(claim.messageId, record.at) : index.date(record.at));
      const fields = { partitionKey: claim.messageId, rowKey: 'header', ...fromDeliveryRecord(record) };
      return writeIfUnchanged(() => table.updateEntity(fields, 'Merge', { etag: claim.token }));
    },
    async markUnreadable(id, reason, now) {
      const fields = {
        partitionKey: id,
        rowKey: 'header',
        status: 'parked',
        unreadable: true,
        parkedReason: reason,
        settledAt: toIsoUtc(now),
        claimUntil: '',
      };
      await writeIfUnchanged(() => table.updateEntity(fields, 'Merge'));
    },
  };
}

/** An item's row key: in order, as a partition lists its rows. */
const itemKey = (index: number): string => `item-${String(index).padStart(6, '0')}`;

/** A claimed message's rows, known from what its claim read: the header and one row per item. */
const rowsClaimed = (claim: Claim): Row[] => [
  { partitionKey: claim.messageId, rowKey: 'header' },
  ...Array.from({ length: claim.items }, (_, i) => ({ partitionKey: claim.messageId, rowKey: itemKey(i) })),
];

/** A header's content field that says the message is kept once delivered (a stand-in). */
const keptSchema = headerContentSchema.pick({ fallbackFor: true });
/** Whether a header's message is kept once delivered (keptOnceDelivered), read from its header alone. */
const isKept = (head: Record<string, unknown>): boolean => keptOnceDelivered(keptSchema.safeParse(head).data ?? {});

/** When a message was delivered, if its header says it was. */
function deliveredAt(head: Record<string, unknown> | undefined): string | undefined {
  const parsed = head && recordRowSchema.safeParse(head);
  return parsed?.success && parsed.data.status === 'delivered' ? parsed.data.settledAt : undefined;
}

/** What the header's delivery fields alone decide, before any item is read; undefined: it may be claimed. */
function decide(head: Header, attempt: number, nowMs: number): ClaimResult | undefined {
  const parsed = recordRowSchema.safeParse(head);
  if (!parsed.success) return { kind: 'unreadable', reason: describeIssues('header', parsed.error), parked: false, ...labelsOf(head) };
  const row = parsed.data;
  const record = toDeliveryRecord(row);
  if (record.status === 'delivered') return { kind: 'delivered', record, kept: isKept(head) };
  if (attempt < record.nextAttempt) return { kind: 'superseded', record };
  if (row.claimUntil && Date.parse(row.claimUntil) > nowMs) return { kind: 'busy', until: row.claimUntil };
  if (row.unreadable) return { kind: 'unreadable', reason: row.parkedReason ?? 'unreadable', parked: true, ...labelsOf(head) };
  return undefined;
}

/** The route and channel of a damaged header, when they can still be told, for the report. */
function labelsOf(head: Header): { route?: string; channel?: string } {
  const route = typeof head['route'] === 'string' ? head['route'] : undefined;
  const content = headerContentSchema.shape.channel.safeParse(head['channel']);
  const channel = content.success ? channelLabel(content.data) : undefined;
  return { ...(route ? { route } : {}), ...(channel ? { channel } : {}) };
}
