import type { TableClient, TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { jsonText } from '../../helpers/jsonText.js';
import { rotationSchema } from '../../rotation/rotationSchema.js';
import type { CreateResult, RotationStore } from '../../rotation/RotationPorts.js';
import { ensureTable } from './ensureTable.js';
import { readEntity } from './readEntity.js';
import { isTerminal, type Rotation } from '../../rotation/Rotation.js';
import { statusOf } from '../azure/isTransientStatus.js';

/**
 * Rotations in Table Storage, all in one partition so a rotation, its app's lock and its idempotency key
 * are created in one entity-group transaction: either all exist or none (the lock row is what makes
 * "one rotation in flight per app" hold across instances). Updates carry the ETag they read.
 */
export const rotationPartition = 'rotation';
const partitionKey = rotationPartition;
const rotationKey = (id: string) => `r|${id}`;
const lockKey = (tenantId: string, objectId: string) => `lock|${tenantId.toLowerCase()}|${objectId.toLowerCase()}`;
const idempotencyRowKey = (key: string) => `idem|${key}`;

interface RotationRow {
  kind: 'rotation';
  step: string;
  open: boolean;
  data: string;
}

const rotationRowSchema = z.object({ rowKey: z.string(), data: jsonText(rotationSchema) });

/**
 * A stored rotation row, checked by its step. A row that does not fit (damaged, or written by a version
 * that broke the format) stops the read with an error naming the row, rather than act on a rotation that lies.
 */
export function readRotationRow(row: unknown): Rotation {
  const parsed = rotationRowSchema.safeParse(row);
  if (parsed.success) return parsed.data.data;
  const rowKey = typeof row === 'object' && row !== null && 'rowKey' in row ? String(row.rowKey) : '(no row key)';
  throw new Error(`rotation row ${rowKey} cannot be read: ${z.prettifyError(parsed.error).replaceAll('\n', '; ')}`);
}

const toRow = (rotation: Rotation) => ({
  partitionKey,
  rowKey: rotationKey(rotation.id),
  kind: 'rotation',
  step: rotation.step,
  open: !isTerminal(rotation),
  data: JSON.stringify(rotation),
});

export function createTableRotationStore(table: TableClient): RotationStore {
  const ready = ensureTable(table);
  const read = async <T extends object>(rowKey: string) => {
    await ready();
    return readEntity<T>(table, partitionKey, rowKey);
  };
  const store: RotationStore = {
    async create(rotation, idempotency): Promise<CreateResult> {
      await ready();
      const lock = lockKey(rotation.tenantId, rotation.application.objectId);
      const actions: TransactionAction[] = [
        ['create', toRow(rotation)],
        ['create', { partitionKey, rowKey: lock, kind: 'lock', rotationId: rotation.id }],
      ];
      if (idempotency)
        actions.push([
          'create',
          {
            partitionKey,
            rowKey: idempotencyRowKey(idempotency.key),
            kind: 'idempotency',
            rotationId: rotation.id,
            fingerprint: idempotency.fingerprint,
          },
        ]);
      try {
        await table.submitTransaction(actions);
        return { kind: 'created' };
      } catch (error) {
        // Which row already existed decides the answer: a replayed key wins over the app's lock.
        const seen = idempotency ? await store.findByIdempotencyKey(idempotency.key) : undefined;
        if (seen) return { kind: 'replay', ...seen };
        const holder = await read<{ rotationId: string }>(lock);
        if (holder) return { kind: 'conflict', rotationId: holder.rotationId };
        throw error;
      }
    },
    async get(id) {
      const row = await read<RotationRow>(rotationKey(id));
      return row ? { rotation: readRotationRow(row), etag: row.etag } : undefined;
    },
    async findByIdempotencyKey(key) {
      const row = await read<{ rotationId: string; fingerprint: string }>(idempotencyRowKey(key));
      return row ? { rotationId: row.rotationId, fingerprint: row.fingerprint } : undefined;
    },
    async lockHolder(tenantId, objectId) {
      return (await read<{ rotationId: string }>(lockKey(tenantId, objectId)))?.rotationId;
    },
    async save(rotation, etag, releaseLock) {
      try {
        if (!releaseLock) return { kind: 'saved', etag: (await table.updateEntity(toRow(rotation), 'Replace', { etag })).etag ?? '' };
        const update: TransactionAction = ['update', toRow(rotation), 'Replace', { etag }];
        await table.submitTransaction([
          update,
          ['delete', { partitionKey, rowKey: lockKey(rotation.tenantId, rotation.application.objectId) }],
        ]);
        return { kind: 'saved', etag: (await read<RotationRow>(rotationKey(rotation.id)))?.etag ?? '' };
      } catch (error) {
        if (statusOf(error) === 412) return { kind: 'stale' };
        const current = await read<RotationRow>(rotationKey(rotation.id));
        if (current && current.etag !== etag) return { kind: 'stale' };
        throw error;
      }
    },
    async listOpen() {
      await ready();
      const rotations: Rotation[] = [];
      const filter = `PartitionKey eq '${partitionKey}' and kind eq 'rotation' and open eq true`;
      for await (const row of table.listEntities<RotationRow>({ queryOptions: { filter } })) rotations.push(readRotationRow(row));
      return rotations;
    },
  };
  return store;
}
