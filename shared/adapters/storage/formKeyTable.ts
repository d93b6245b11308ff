import { randomBytes } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { onceSucceeded } from '../../helpers/onceSucceeded.js';
import { ensureTable } from './ensureTable.js';
import { readEntity, writeIfUnchanged } from './readEntity.js';

const PARTITION = 'form';
const ROW = 'hmac-v1';
const rowSchema = z.object({ key: z.base64().refine((k) => Buffer.from(k, 'base64').length === 32) });

/**
 * The key that signs the status page's form tokens (`shared/dashboard/formToken.ts`): 32 random bytes Vigil
 * makes itself on first use and keeps in its own storage (VigilFormKeys), which only its identity can read,
 * so there is no setting to provision. Every instance reads the same row (the first writer wins); each
 * process reads it once. Deleting the row rotates it: forms on open pages then ask for a reload.
 */
export function createFormKeyStore(table: TableClient): () => Promise<Buffer> {
  const ready = ensureTable(table);
  return onceSucceeded(async () => {
    await ready();
    const read = async () => {
      const row = await readEntity(table, PARTITION, ROW);
      return row && Buffer.from(rowSchema.parse(row).key, 'base64');
    };
    const existing = await read();
    if (existing) return existing;
    const key = randomBytes(32);
    if (await writeIfUnchanged(() => table.createEntity({ partitionKey: PARTITION, rowKey: ROW, key: key.toString('base64') }))) return key;
    const written = await read();
    if (!written) throw new Error('the form key row vanished while it was being created');
    return written;
  });
}
