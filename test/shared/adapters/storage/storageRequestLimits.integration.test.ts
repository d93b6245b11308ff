import { describe, expect, it } from 'vitest';
import { createQueueClient } from '../../../../shared/adapters/storage/createQueueClient.js';
import { createTableClient } from '../../../../shared/adapters/storage/createTableClient.js';
import { storageRequestLimits, type StorageRequestLimits } from '../../../../shared/adapters/storage/storageRequestLimits.js';
import { useAzuriteWithFaults } from '../../../support/useAzuriteWithFaults.js';

const storage = useAzuriteWithFaults();

/** The production limits, with a short try so a hung request is seen quickly. */
const fast: StorageRequestLimits = { ...storageRequestLimits, tryTimeoutMs: 300, retryDelayMs: 10, maxRetryDelayMs: 20 };
const target = () => ({ kind: 'connectionString' as const, connectionString: storage.proxy.connectionString });
const elapsed = async (work: () => Promise<unknown>): Promise<number> => {
  const started = Date.now();
  await work().catch(() => undefined);
  return Date.now() - started;
};

describe('Table and Queue clients', () => {
  it('give up on a hung Table request after the try timeout instead of waiting for ever', async () => {
    const table = createTableClient(target(), 'LimitsHung', fast);
    await table.createTable();
    storage.proxy.inject({ table: 'LimitsHung', method: 'POST' }, { kind: 'delay', ms: Infinity }, { times: Infinity });
    await expect(table.createEntity({ partitionKey: 'p', rowKey: 'r' })).rejects.toThrow();
    expect(await elapsed(() => table.createEntity({ partitionKey: 'p', rowKey: 'r' }))).toBeLessThan(3_000);
  });

  it('give up on a hung Queue request after the try timeout', async () => {
    const queue = createQueueClient(target(), 'limits-hung', fast);
    await queue.createIfNotExists();
    storage.proxy.inject({ queue: 'limits-hung', method: 'POST' }, { kind: 'delay', ms: Infinity }, { times: Infinity });
    await expect(queue.sendMessage('hello')).rejects.toThrow();
    expect(await elapsed(() => queue.sendMessage('hello'))).toBeLessThan(3_000);
  });

  it('retry a refused request a bounded number of times, then fail', async () => {
    const table = createTableClient(target(), 'LimitsRefused', fast);
    const queue = createQueueClient(target(), 'limits-refused', fast);
    await Promise.all([table.createTable(), queue.createIfNotExists()]);
    const tableFault = storage.proxy.inject(
      { table: 'LimitsRefused', method: 'POST' },
      { kind: 'refuse', status: 503 },
      { times: Infinity },
    );
    const queueFault = storage.proxy.inject(
      { queue: 'limits-refused', method: 'POST' },
      { kind: 'refuse', status: 503 },
      { times: Infinity },
    );

    await expect(table.createEntity({ partitionKey: 'p', rowKey: 'r' })).rejects.toMatchObject({ statusCode: 503 });
    await expect(queue.sendMessage('hello')).rejects.toMatchObject({ statusCode: 503 });

    expect([tableFault.hits, queueFault.hits]).toEqual([fast.maxRetries + 1, fast.maxRetries + 1]);
  });

  it('still reach Azurite through its own connection string', async () => {
    const queue = createQueueClient({ kind: 'connectionString', connectionString: storage.azurite.connectionString }, 'limits-plain');
    await queue.createIfNotExists();
    await queue.sendMessage('hello');
    expect((await queue.receiveMessages()).receivedMessageItems[0]?.messageText).toBe('hello');
  });
});
