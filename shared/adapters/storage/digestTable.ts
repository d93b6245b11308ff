import type { TableClient, TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import type { BucketStatus, DigestStore, FlushBatch, HeldItem, StoredBatch } from '../../notifications/DigestPorts.js';
import { decidedAtOf, notificationItemSchema } from '../../notifications/NotificationItem.js';
import { routeStateSchema } from '../../notifications/NotificationState.js';
import { etagIfUnchanged, ignoreGone, readEntity, writeIfUnchanged } from './readEntity.js';
import { statusOf } from '../azure/isTransientStatus.js';
import { actionTransactions } from './actionTransactions.js';
import { chunks, ensureTable, odataString } from './ensureTable.js';

/** Sorts after `batch|…` and `item|…`: the bucket's marker (ticket queued, flush started, lease). */
const markerRow = '~bucket';
const batchPrefix = 'batch|';

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
const batchRow = z.object({
  rowKey: z.string(),
  etag: z.string(),
  step: z.enum(['assigned', 'saved', 'enqueued']),
  createdAt: z.string(),
  messages: z.number().int().default(0),
  abandoned: z.number().int().default(0),
  generation: z.number().int().default(0),
});
const markerSchema = z.object({
  etag: z.string(),
  flushStartedAt: z.string().optional(),
  leaseUntil: z.string().optional(),
});

/**
 * Digest buckets in Table Storage, one partition per bucket: a row per held item (the item and the state
 * change that commits it), a row per flush batch, and a marker. A partition is read in one query and
 * written in transactions of up to 100 rows and 4 MiB (actionTransactions).
 */
export function createDigestTable(table: TableClient): DigestStore {
  const ready = ensureTable(table);
  const rowOf = (ref: string) => ref.slice(ref.indexOf('/') + 1);
  const marker = async (bucket: string) => {
    const row = await readEntity(table, bucket, markerRow);
    return row && markerSchema.parse(row);
  };
  return {
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
      const row = await marker(bucket);
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
      const row = await marker(bucket);
      if (row?.leaseUntil && row.leaseUntil > now) return undefined;
      const entity = { partitionKey: bucket, rowKey: markerRow, flushStartedAt: row?.flushStartedAt ?? now, leaseUntil: until };
      // The marker's new ETag is the fence: any later lease changes it.
      const etag = await etagIfUnchanged(() =>
        row ? table.updateEntity(entity, 'Merge', { etag: row.etag }) : table.createEntity(entity),
      );
      return etag === false ? undefined : { fence: etag };
    },
    async release(bucket, lease) {
      await ready();
      // Changed (412) or gone (404): another flush leased the bucket since, or closed it; its marker is left to it.
      await writeIfUnchanged(() =>
        table.updateEntity({ partitionKey: bucket, rowKey: markerRow, leaseUntil: '' }, 'Merge', { etag: lease.fence }),
      );
    },
    async list(bucket) {
      await ready();
      const items: HeldItem[] = [];
      const batches: StoredBatch[] = [];
      for await (const row of table.listEntities({ queryOptions: { filter: `PartitionKey eq ${odataString(bucket)}` } })) {
        if (row.rowKey === markerRow) continue;
        if (row.rowKey?.startsWith(batchPrefix)) {
          const b = batchRow.parse(row);
          batches.push({
            id: b.rowKey.slice(batchPrefix.length),
            step: b.step,
            createdAt: b.createdAt,
            messages: b.messages,
            abandoned: b.abandoned,
            generation: b.generation,
            etag: b.etag,
          });
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
    async assign(bucket, batch, items, lease) {
      await ready();
      const [first = [], ...rest] = chunks(items, 98);
      const take = ({ ref, item }: HeldItem): TransactionAction => [
        'update',
        { partitionKey: bucket, rowKey: rowOf(ref), batch: batch.id, ...(item.heldInPart ? { heldInPart: true } : {}) },
        'Merge',
      ];
      // Each transaction also writes the marker as the lease left it (at most 100 rows: the batch row, 98 items and the
      // marker), so none lands after another flush leased the bucket: that one may have listed the items untaken.
      const fenced = async (actions: TransactionAction[]) => {
        const unchanged: TransactionAction = ['update', { partitionKey: bucket, rowKey: markerRow }, 'Merge', { etag: lease.fence }];
        try {
          const done = await table.submitTransaction([...actions, unchanged]);
          // The lease's fence follows the marker, so this flush's own writes never read as another's lease.
          lease.fence = etagOf(done.subResponses.at(-1));
          return done;
        } catch (error) {
          // 412: the marker changed; 404: the marker or an item gone. Either way another flush leased the bucket since.
          if (statusOf(error) === 412 || statusOf(error) === 404) return undefined;
          throw error;
        }
      };
      // The batch row travels with the first items: a batch never exists without items, nor the reverse.
      const created = await fenced([['create', toBatchRow(bucket, batch)], ...first.map(take)]);
      if (!created) return undefined;
      for (const group of rest) if (!(await fenced(group.map(take)))) return undefined;
      return { ...batch, etag: etagOf(created.subResponses[0]) };
    },
    async setStep(bucket, batch) {
      await ready();
      // An update, never an upsert: a batch another flush finished (and removed) is not written back.
      const etag = await etagIfUnchanged(() => table.updateEntity(toBatchRow(bucket, batch), 'Replace', { etag: batch.etag }));
      return etag === false ? undefined : { ...batch, etag };
    },
    async abandon(bucket, batch, refs) {
      await ready();
      let written = batch;
      // At least one write, with no items when there are none: a flush another took the batch from stops before saving.
      const groups = chunks(refs, 99);
      for (const group of groups.length > 0 ? groups : [[]]) {
        const next = { ...written, abandoned: written.abandoned + group.length };
        const actions: TransactionAction[] = [
          ...group.map((ref): TransactionAction => ['delete', { partitionKey: bucket, rowKey: rowOf(ref) }]),
          ['update', toBatchRow(bucket, next), 'Replace', { etag: written.etag }],
        ];
        const etag = await etagIfUnchanged(async () => ({ etag: etagOf((await table.submitTransaction(actions)).subResponses.at(-1)) }));
        if (etag === false) return undefined;
        written = { ...next, etag };
      }
      return written;
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
      // As release: a marker another flush leased since, or a new ticket's, is not this flush's to delete.
      await writeIfUnchanged(() => table.deleteEntity(bucket, markerRow, { etag: lease.fence }));
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

/**
 * The ETag of a row a transaction wrote (Table Storage answers each insert, update and merge with one): a response
 * without one fails the flush, instead of fencing on nothing or leaving a batch no write can move on.
 */
function etagOf(answer: { etag?: string } | undefined): string {
  if (!answer?.etag) throw new Error('no ETag in the transaction response');
  return answer.etag;
}

const toBatchRow = (bucket: string, batch: FlushBatch) => ({
  partitionKey: bucket,
  rowKey: `${batchPrefix}${batch.id}`,
  step: batch.step,
  createdAt: batch.createdAt,
  messages: batch.messages,
  abandoned: batch.abandoned,
  generation: batch.generation,
});
