import type { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startAzurite, type Azurite } from '../../../../local/azurite/startAzurite.js';
import { createTableClient } from '../../../../shared/adapters/storage/createTableClient.js';
import { batchPrefix } from '../../../../shared/adapters/storage/digestBatchRows.js';
import { createDigestTable } from '../../../../shared/adapters/storage/digestTable.js';
import type { FlushBatch } from '../../../../shared/notifications/DigestPorts.js';

let azurite: Azurite;
let client: TableClient;
beforeAll(async () => {
  azurite = await startAzurite();
  client = createTableClient({ kind: 'connectionString', connectionString: azurite.connectionString }, 'DigestBatchRowsTest');
});
afterAll(() => azurite.stop());

/**
 * A batch row as the versions before generations read it (shared/adapters/storage/digestTable.ts at 4b9593f, the same
 * since batch rows have a step): what a flush of theirs still running during a deploy parses every listed batch with.
 */
const rowOfVersionsBefore = z.object({
  rowKey: z.string(),
  etag: z.string(),
  step: z.enum(['assigned', 'saved', 'enqueued']),
  createdAt: z.string(),
  messages: z.number().int().default(0),
  abandoned: z.number().int().default(0),
});

const batch: FlushBatch = {
  id: 'b1',
  step: 'assigned',
  createdAt: '2026-12-06T07:00:00Z',
  messages: 2,
  abandoned: 0,
  generation: 0,
  cleared: 0,
};

describe('digest batch rows during a deploy', () => {
  const store = () => createDigestTable(client);
  const raw = async (bucket: string) => client.getEntity(bucket, `${batchPrefix}${batch.id}`);

  it('writes every batch row so that a flush of a version before generations cannot read it, and fails instead of finishing it', async () => {
    const digests = store();
    const lease = await digests.lease('w-taken', '2026-12-06T07:00:00Z', '2026-12-06T07:05:00Z');
    const taken = await digests.assign('w-taken', batch, [], lease!);
    expect(rowOfVersionsBefore.safeParse(await raw('w-taken')).success).toBe(false);
    // A rebuild's claim and its later steps too (a rebuilt row read so would be finished under generation 0's ids).
    const claimed = await digests.setStep('w-taken', { ...taken!, generation: 1 });
    expect(rowOfVersionsBefore.safeParse(await raw('w-taken')).success).toBe(false);
    await digests.setStep('w-taken', { ...claimed!, step: 'saved' });
    expect(rowOfVersionsBefore.safeParse(await raw('w-taken')).success).toBe(false);
    expect((await digests.list('w-taken')).batches).toMatchObject([{ id: 'b1', step: 'saved', generation: 1 }]);
  });

  it('reads and finishes a row a version before generations wrote, which it can no longer read once rewritten', async () => {
    const digests = store();
    await client.createEntity({
      partitionKey: 'w-older',
      rowKey: `${batchPrefix}${batch.id}`,
      step: 'saved',
      createdAt: batch.createdAt,
      messages: 2,
    });
    const [listed] = (await digests.list('w-older')).batches;
    expect(listed).toMatchObject({ id: 'b1', step: 'saved', messages: 2, generation: 0, cleared: 0 });
    expect(rowOfVersionsBefore.safeParse(await raw('w-older')).success).toBe(true);
    expect(await digests.setStep('w-older', { ...listed!, step: 'enqueued' })).toBeDefined();
    expect((await digests.list('w-older')).batches).toMatchObject([{ step: 'enqueued' }]);
    expect(rowOfVersionsBefore.safeParse(await raw('w-older')).success).toBe(false);
  });
});
