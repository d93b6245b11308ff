import { randomUUID } from 'node:crypto';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import type { BucketLease, BucketStatus, DigestStore, HeldItem, StoredBatch } from '../../notifications/DigestPorts.js';
import { decidedAtOf, notificationItemSchema } from '../../notifications/NotificationItem.js';
import { routeStateSchema } from '../../notifications/NotificationState.js';
import { etagIfUnchanged, ignoreGone, writeIfUnchanged } from './readEntity.js';
import { statusOf } from '../azure/isTransientStatus.js';
import { actionTransactions } from './actionTransactions.js';
import { batchPrefix, digestBatchWrites, markerRow, ownMarker, readBucketMarker, rowOf, storedBatchOf } from './digestBatchRows.js';
import { chunks, ensureTable, odataString } from './ensureTable.js';

const json = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((text) => JSON.parse(text) as unknown)
    .pipe(schema);
const itemRow = z.object({
  rowKey: z.string(),
  etag: z.string(),
  route: z.string(),
  item: json(notificationItemSchema),
  change: json(z.object({ key: z.string(), next: routeStateSchema, etag: z.string().optional() })),
  committed: z.boolean().default(false),
  /** Absent on rows held by older versions: their decision's time stands in (HeldItem.heldAt). */
  heldAt: z.string().optional(),
  batch: z.string().optional(),
  /** Set by assign on an item sent as part of a decision: a column of its own, merged into the item when read. */
  heldInPart: z.literal(true).optional(),
});

/**
 * Digest buckets in Table Storage, one partition per bucket: a row per held item (the item and the state
 * change that commits it), a row per flush batch, and a marker. A partition is read in one query and
 * written in transactions of up to 100 rows and 4 MiB (actionTransactions).
 */
export function createDigestTable(table: TableClient): DigestStore {
  const ready = ensureTable(table);
  /**
   * A write of the marker conditional on the lease's fence; when that fails, on the marker as it now is if it still names
   * this lease's holder (the fence went stale by a write of this flush whose answer was lost). Another's marker is left to it.
   */
  const onOwnMarker = async (bucket: string, lease: BucketLease, write: (etag: string) => Promise<unknown>) => {
    if (await writeIfUnchanged(() => write(lease.fence))) return;
    const etag = await ownMarker(table, bucket, lease);
    if (etag !== undefined) await writeIfUnchanged(() => write(etag));
  };
  return {
    ...digestBatchWrites(table, ready),
    async hold(bucket, items) {
      await ready();
      const rows: TransactionAction[] = items.map((held) => [
        'upsert',
        {
          partitionKey: bucket,
          rowKey: rowOf(held.ref),
          route: held.route,
          item: JSON.stringify(held.item),
          change: JSON.stringify(held.change),
          committed: false,
          heldAt: held.heldAt,
        },
        'Replace',
      ]);
      for (const batch of actionTransactions(rows)) await table.submitTransaction(batch);
    },
    async markCommitted(bucket, refs) {
      await ready();
      // An item a flush already took is gone: its chunk fails as a whole and the flush checked those anyway.
      for (const batch of chunks(refs.map(rowOf)))
        await table
          .submitTransaction(batch.map((rowKey) => ['update', { partitionKey: bucket, rowKey, committed: true }, 'Merge']))
          .catch(ignoreGone);
    },
    async status(bucket): Promise<BucketStatus> {
      await ready();
      const row = await readBucketMarker(table, bucket);
      return !row ? 'none' : row.flushStartedAt ? 'flushing' : 'waiting';
    },
    async noteTicket(bucket) {
      await ready();
      await table.createEntity({ partitionKey: bucket, rowKey: markerRow }).catch((error: unknown) => {
        if (statusOf(error) !== 409) throw error;
      });
    },
    async lease(bucket, now, until) {
      await ready();
      const row = await readBucketMarker(table, bucket);
      if (row?.leaseUntil && row.leaseUntil > now) return undefined;
      const holder = randomUUID();
      const entity = { partitionKey: bucket, rowKey: markerRow, flushStartedAt: row?.flushStartedAt ?? now, leaseUntil: until, holder };
      // The marker's new ETag is the fence: any later lease changes it.
      const etag = await etagIfUnchanged(() =>
        row ? table.updateEntity(entity, 'Merge', { etag: row.etag }) : table.createEntity(entity),
      );
      if (etag !== false) return { fence: etag, holder, until };
      // The SDK sends a write again when its answer was lost; the repeat then fails its condition although the
      // first one landed (as connectionTable's lease). The marker says whose lease it is (R26).
      const fence = await ownMarker(table, bucket, { holder, until });
      return fence === undefined ? undefined : { fence, holder, until };
    },
    async release(bucket, lease) {
      await ready();
      // Changed (412) or gone (404) by another flush that leased the bucket since, or closed it: its marker is left to it.
      await onOwnMarker(bucket, lease, (etag) =>
        table.updateEntity({ partitionKey: bucket, rowKey: markerRow, leaseUntil: '' }, 'Merge', { etag }),
      );
    },
    async list(bucket) {
      await ready();
      const items: HeldItem[] = [];
      const batches: StoredBatch[] = [];
      for await (const row of table.listEntities({ queryOptions: { filter: `PartitionKey eq ${odataString(bucket)}` } })) {
        if (row.rowKey === markerRow) continue;
        if (row.rowKey?.startsWith(batchPrefix)) {
          batches.push(storedBatchOf(row));
          continue;
        }
        const r = itemRow.parse(row);
        items.push({
          ref: `${bucket}/${r.rowKey}`,
          route: r.route,
          item: r.heldInPart ? { ...r.item, heldInPart: true } : r.item,
          change: { key: r.change.key, next: r.change.next, etag: r.change.etag },
          committed: r.committed,
          heldAt: r.heldAt ?? decidedAtOf(r.item),
          ...(r.batch ? { batch: r.batch } : {}),
        });
      }
      return { items, batches };
    },
    async remove(bucket, refs, batchId) {
      await ready();
      const rows = [...refs.map(rowOf), ...(batchId ? [`${batchPrefix}${batchId}`] : [])];
      for (const group of chunks(rows))
        await table.submitTransaction(group.map((rowKey) => ['delete', { partitionKey: bucket, rowKey }])).catch(async (error: unknown) => {
          // A row already gone fails the whole transaction: delete one by one, ignoring the missing.
          if (statusOf(error) !== 404) throw error;
          for (const rowKey of group) await table.deleteEntity(bucket, rowKey).catch(ignoreGone);
        });
    },
    async close(bucket, lease) {
      await ready();
      // As release: a marker another flush leased since, or a new ticket's, is not this flush's to delete. Unlike release's,
      // the fallback on the marker as it now is cannot be reached today: the one write of the marker a flush makes before
      // closing (assign's) moves the fence on, and when it lands unanswered the flush fails and releases instead.
      await onOwnMarker(bucket, lease, (etag) => table.deleteEntity(bucket, markerRow, { etag }));
    },
    async listBuckets() {
      await ready();
      // Every bucket that holds anything, marker or not: the table holds only what is still to be sent.
      const buckets = new Set<string>();
      for await (const row of table.listEntities({ queryOptions: { select: ['PartitionKey'] } })) buckets.add(row.partitionKey!);
      return [...buckets].sort();
    },
  };
}
