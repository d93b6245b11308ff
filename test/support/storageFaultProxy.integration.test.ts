import { TableClient } from '@azure/data-tables';
import { QueueServiceClient } from '@azure/storage-queue';
import { describe, expect, it } from 'vitest';
import { useAzuriteWithFaults } from './useAzuriteWithFaults.js';

const storage = useAzuriteWithFaults();

/** Clients that never retry, so each call is exactly one request through the proxy. */
const table = (name: string, via = storage.proxy.connectionString) =>
  TableClient.fromConnectionString(via, name, { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
const queue = (name: string) =>
  QueueServiceClient.fromConnectionString(storage.proxy.connectionString, { retryOptions: { maxTries: 1 } }).getQueueClient(name);
const entity = (rowKey: string) => ({ partitionKey: 'p', rowKey, value: rowKey });

describe('the storage fault proxy', () => {
  it('passes what it was not told to fault, for both services', async () => {
    await table('ProxyPass').createTable();
    await table('ProxyPass').createEntity(entity('a'));
    await queue('proxy-pass').createIfNotExists();
    await queue('proxy-pass').sendMessage('hello');

    expect((await table('ProxyPass', storage.azurite.connectionString).getEntity('p', 'a')).value).toBe('a');
    expect((await queue('proxy-pass').receiveMessages()).receivedMessageItems[0]?.messageText).toBe('hello');
  });

  it('refuses the matching requests, as many times as told, with the status and code given', async () => {
    const other = table('ProxyOther');
    await Promise.all([table('ProxyRefuse').createTable(), other.createTable()]);
    const fault = storage.proxy.inject({ table: 'ProxyRefuse', method: 'POST' }, { kind: 'refuse', status: 503 }, { times: 2 });

    await other.createEntity(entity('untouched'));
    for (const rowKey of ['a', 'b'])
      await expect(table('ProxyRefuse').createEntity(entity(rowKey))).rejects.toMatchObject({
        statusCode: 503,
        details: { odataError: { code: 'ServerBusy' } },
      });
    await table('ProxyRefuse').createEntity(entity('c'));

    expect(fault.hits).toBe(2);
    const stored: string[] = [];
    for await (const row of table('ProxyRefuse', storage.azurite.connectionString).listEntities()) stored.push(row.rowKey ?? '');
    expect(stored).toEqual(['c']);
  });

  it('names the table of a create and of a transaction from the body', async () => {
    storage.proxy.inject({ table: 'ProxyCreated' }, { kind: 'refuse', status: 500 });
    await expect(table('ProxyCreated').createTable()).rejects.toMatchObject({ statusCode: 500 });
    await table('ProxyCreated').createTable();

    storage.proxy.inject({ table: 'ProxyCreated', when: (r) => r.batch }, { kind: 'refuse', status: 503 });
    await expect(table('ProxyCreated').submitTransaction([['create', entity('x')]])).rejects.toMatchObject({ statusCode: 503 });
    expect(storage.proxy.requests.filter((r) => r.table === 'ProxyCreated').map((r) => [r.method, r.batch, r.fault])).toEqual([
      ['POST', false, 'refuse'],
      ['POST', false, undefined],
      ['POST', true, 'refuse'],
    ]);
  });

  it('lets the first requests through when told to skip them', async () => {
    await queue('proxy-skip').createIfNotExists();
    storage.proxy.inject({ queue: 'proxy-skip', method: 'POST' }, { kind: 'refuse', status: 500 }, { skip: 1 });

    await queue('proxy-skip').sendMessage('first');
    await expect(queue('proxy-skip').sendMessage('second')).rejects.toMatchObject({ statusCode: 500 });
    await queue('proxy-skip').sendMessage('third');
  });

  it('resets the connection without forwarding', async () => {
    await table('ProxyReset').createTable();
    storage.proxy.inject({ table: 'ProxyReset', method: 'POST' }, { kind: 'reset' });

    await expect(table('ProxyReset').createEntity(entity('lost'))).rejects.toMatchObject({ code: 'ECONNRESET' });
    await expect(table('ProxyReset', storage.azurite.connectionString).getEntity('p', 'lost')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('drops the answer after Azurite applied the request', async () => {
    await table('ProxyDrop').createTable();
    storage.proxy.inject({ table: 'ProxyDrop', method: 'POST' }, { kind: 'drop' });

    await expect(table('ProxyDrop').createEntity(entity('done'))).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect((await table('ProxyDrop', storage.azurite.connectionString).getEntity('p', 'done')).value).toBe('done');
  });

  it('delays a request, and never forwards one whose client gave up waiting', async () => {
    await table('ProxyDelay').createTable();
    storage.proxy.inject({ table: 'ProxyDelay', method: 'POST' }, { kind: 'delay', ms: 300 });
    const started = Date.now();
    await table('ProxyDelay').createEntity(entity('late'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);

    storage.proxy.inject({ table: 'ProxyDelay', method: 'POST' }, { kind: 'delay', ms: 400 });
    await expect(table('ProxyDelay').createEntity(entity('abandoned'), { abortSignal: AbortSignal.timeout(100) })).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await expect(table('ProxyDelay', storage.azurite.connectionString).getEntity('p', 'abandoned')).rejects.toMatchObject({
      statusCode: 404,
    });
  });
});
