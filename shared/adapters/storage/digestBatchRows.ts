import type { TableClient, TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import type { BucketLease, DigestStore, FlushBatch, HeldItem, StoredBatch } from '../../notifications/DigestPorts.js';
import { etagIfUnchanged, etagOf, readEntity } from './readEntity.js';
import { chunks } from './ensureTable.js';

/** Sorts after `batch|…` and `item|…`: the bucket's marker (ticket queued, flush started, lease). */
export const markerRow = '~bucket';
export const batchPrefix = 'batch|';
/** An item's row in its bucket's partition, from its ref (`bucket/row`). */
export const rowOf = (ref: string) => ref.slice(ref.indexOf('/') + 1);

const markerSchema = z.object({
  etag: z.string(),
  flushStartedAt: z.string().optional(),
  leaseUntil: z.string().optional(),
  /** Absent on markers written by older versions, and on a ticket's before any lease. */
  holder: z.string().optional(),
});

/** The bucket's marker, or undefined when there is none. */
export async function readBucketMarker(table: TableClient, bucket: string) {
  const row = await readEntity(table, bucket, markerRow);
  return row && markerSchema.parse(row);
}

/**
 * The marker's current ETag when it still names the lease's holder and end (no other flush leased the bucket since, not
 * even one of a version that writes no holder); else undefined.
 */
export async function ownMarker(
  table: TableClient,
  bucket: string,
  lease: Pick<BucketLease, 'holder' | 'until'>,
): Promise<string | undefined> {
  const row = await readBucketMarker(table, bucket);
  return row?.holder === lease.holder && row.leaseUntil === lease.until ? row.etag : undefined;
}

const stepSchema = z.enum(['assigned', 'saved', 'enqueued']);
/** A batch's step: `batchStep` on rows this version wrote, `step` on rows of every version before it (toBatchRow). */
const stepOfRow = z.union([
  z.object({ batchStep: stepSchema }).transform((r) => r.batchStep),
  z.object({ step: stepSchema }).transform((r) => r.step),
]);
const batchRow = z.object({
  rowKey: z.string(),
  etag: z.string(),
  createdAt: z.string(),
  messages: z.number().int().default(0),
  abandoned: z.number().int().default(0),
  generation: z.number().int().default(0),
  cleared: z.number().int().default(0),
});

/** A batch row as listed; counts, generation and cleared absent on rows from older versions read as 0. */
export function storedBatchOf(row: unknown): StoredBatch {
  const b = batchRow.parse(row);
  const step = stepOfRow.parse(row);
  const { createdAt, messages, abandoned, generation, cleared, etag } = b;
  return { id: b.rowKey.slice(batchPrefix.length), step, createdAt, messages, abandoned, generation, cleared, etag };
}

/**
 * The writes of a digest bucket's batch rows (createDigestTable), each fenced: taking items into a batch is conditional
 * on the bucket's lease, and every later write of the row on the row as the flush last read or wrote it.
 */
export function digestBatchWrites(table: TableClient, ready: () => Promise<void>): Pick<DigestStore, 'assign' | 'setStep' | 'abandon'> {
  return {
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
      let created = '';
      const fenced = async (actions: TransactionAction[]): Promise<boolean> => {
        const unchanged: TransactionAction = ['update', { partitionKey: bucket, rowKey: markerRow }, 'Merge', { etag: lease.fence }];
        // 412: the marker changed; 404: the marker or an item gone. Either way another flush leased the bucket since
        // (a 409 cannot arise: the batch id is new).
        const fence = await etagIfUnchanged(async () => {
          const { subResponses } = await table.submitTransaction([...actions, unchanged]);
          // The first transaction's first row is the batch row it creates.
          created ||= etagOf(subResponses[0]);
          return { etag: etagOf(subResponses.at(-1)) };
        });
        if (fence === false) {
          // A transaction the service committed whose answer was lost fails its retry (by the SDK) so too: the marker
          // then still names this flush. Its batch is left at 'assigned', for the ticket's retry to finish once released.
          if ((await ownMarker(table, bucket, lease)) !== undefined)
            throw new Error(`digest ${bucket}: a write taking items into batch ${batch.id} may have landed unanswered; left for the retry`);
          return false;
        }
        // The lease's fence follows the marker, so this flush's own writes never read as another's lease.
        lease.fence = fence;
        return true;
      };
      // The batch row travels with the first items: a batch never exists without items, nor the reverse.
      if (!(await fenced([['create', toBatchRow(bucket, batch)], ...first.map(take)]))) return undefined;
      for (const group of rest) if (!(await fenced(group.map(take)))) return undefined;
      return { ...batch, etag: created };
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
  };
}

/**
 * The step goes in `batchStep`, not the `step` every earlier version requires: they cannot read a row
 * this version wrote (every write is a Replace, so a row it rewrites loses `step`), and their flush of its bucket fails,
 * logged, leaving the bucket to this version. Read, those from before generations would finish a rebuilt batch's `saved`
 * row under generation 0's message ids, which the rebuild removed, queueing none of its messages, and a claim of theirs would drop the row's
 * generation, so a later rebuild could reuse the ids a stalled one still saves or removes (docs/deploy.md).
 */
const toBatchRow = (bucket: string, batch: FlushBatch) => ({
  partitionKey: bucket,
  rowKey: `${batchPrefix}${batch.id}`,
  batchStep: batch.step,
  createdAt: batch.createdAt,
  messages: batch.messages,
  abandoned: batch.abandoned,
  generation: batch.generation,
  cleared: batch.cleared,
});
