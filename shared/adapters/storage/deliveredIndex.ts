import type { TableClient } from '@azure/data-tables';
import { onceSucceeded } from '../../helpers/onceSucceeded.js';
import { ignoreGone, readEntity, writeIfUnchanged } from './readEntity.js';
import { odataString } from './ensureTable.js';

/**
 * The outbox's index of delivered messages that stay: one partition of `VigilOutbox` (message partitions
 * are random ids, so "delivered before T" had no key range and a sweep read every header). A row per
 * kept stand-in, written just before its delivered mark, and per delivered message whose removal failed,
 * keyed `<settledAt>_<id>`, so the sweep reads a key range of one partition. Every other message is
 * removed as soon as it is delivered and costs the index nothing. Its marker rows start with a letter and
 * never fall in a time range.
 */
export const DELIVERED_INDEX_PARTITION = 'deliveredIndex';
/** When this process's code first delivered: messages delivered before it, by older code, may have no index row. */
const SINCE_ROW = 'since';
/** Written once a sweep has found every message delivered before the index existed: the header scan stops. */
const LEGACY_SWEPT_ROW = 'legacySwept';
/** Instances of the older code may still deliver for a while after the first indexed delivery (a deployment's overlap). */
const legacyOverlapMs = 24 * 3_600_000;

export interface DeliveredIndex {
  /** Dates the index at a delivery, if nothing dated it before: one write per process at most. */
  date(settledAt: string): Promise<void>;
  /** Indexes a delivered message that stays (a second write: the header's partition is the message's). */
  record(id: string, settledAt: string): Promise<void>;
  /** Drops a delivery's index row; one already gone is fine. */
  forget(id: string, settledAt: string): Promise<void>;
  /** Ids indexed as delivered before `before` (ISO), oldest first, at most `max`, with the row's time. */
  before(before: string, max: number): Promise<Array<{ id: string; settledAt: string }>>;
  /** Whether a header scan for messages delivered before the index is still needed at `before`. */
  needsLegacyScan(): Promise<boolean>;
  /** Records that the header scan found every such message, once `before` is past the index's start with a margin. */
  legacyScanned(before: string): Promise<void>;
}

const keyOf = (id: string, settledAt: string) => `${settledAt}_${id}`;

export function createDeliveredIndex(table: TableClient): DeliveredIndex {
  // One write per process: the first delivery it indexes dates the index, if nothing did before.
  let dated: (() => Promise<unknown>) | undefined;
  const dateIndex = async (settledAt: string) => {
    await (dated ??= onceSucceeded(() =>
      writeIfUnchanged(() => table.createEntity({ partitionKey: DELIVERED_INDEX_PARTITION, rowKey: SINCE_ROW, at: settledAt })),
    ))();
  };
  return {
    date: dateIndex,
    async record(id, settledAt) {
      await dateIndex(settledAt);
      await table.upsertEntity({ partitionKey: DELIVERED_INDEX_PARTITION, rowKey: keyOf(id, settledAt), messageId: id }, 'Replace');
    },
    async forget(id, settledAt) {
      await table.deleteEntity(DELIVERED_INDEX_PARTITION, keyOf(id, settledAt)).catch(ignoreGone);
    },
    async before(before, max) {
      const filter = `PartitionKey eq ${odataString(DELIVERED_INDEX_PARTITION)} and RowKey lt ${odataString(before)}`;
      const found: Array<{ id: string; settledAt: string }> = [];
      for await (const row of table.listEntities<{ messageId: string }>({ queryOptions: { filter, select: ['RowKey', 'messageId'] } })) {
        if (found.length >= max) break;
        const key = row.rowKey!;
        found.push({ id: row.messageId, settledAt: key.slice(0, key.length - row.messageId.length - 1) });
      }
      return found;
    },
    async needsLegacyScan() {
      return !(await readEntity(table, DELIVERED_INDEX_PARTITION, LEGACY_SWEPT_ROW));
    },
    async legacyScanned(before) {
      const since = await readEntity<{ at: string }>(table, DELIVERED_INDEX_PARTITION, SINCE_ROW);
      if (!since || Date.parse(before) < Date.parse(since.at) + legacyOverlapMs) return;
      await table.upsertEntity({ partitionKey: DELIVERED_INDEX_PARTITION, rowKey: LEGACY_SWEPT_ROW, at: before }, 'Replace');
    },
  };
}
