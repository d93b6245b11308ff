import type { TableClient } from '@azure/data-tables';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../../../../local/azurite/startAzurite.js';
import { createOutboxTable } from '../../../../shared/adapters/storage/outboxTable.js';
import { createTableClient } from '../../../../shared/adapters/storage/createTableClient.js';
import { DELIVERED_INDEX_PARTITION } from '../../../../shared/adapters/storage/deliveredIndex.js';
import type { OutboxMessage } from '../../../../shared/notifications/OutboxMessage.js';
import { toIsoUtc } from '../../../../shared/helpers/toIsoUtc.js';
import { expiring, itemOf } from '../../notifications/notificationFixtures.js';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite.stop());

const NOW = DateTime.fromISO('2026-11-23T06:00:00Z', { zone: 'utc' });

/** A table client that records each query's filter: a sweep must read one partition's key range, not every header. */
function recordingClient(name: string): { client: TableClient; filters: string[] } {
  const client = createTableClient({ kind: 'connectionString', connectionString: azurite.connectionString }, name);
  const filters: string[] = [];
  const list = client.listEntities.bind(client);
  client.listEntities = (options) => (filters.push(options?.queryOptions?.filter ?? '(all)'), list(options));
  return { client, filters };
}

const standIn = (id: string): OutboxMessage => ({
  id,
  route: 'ops',
  channel: { kind: 'mail' },
  createdAt: toIsoUtc(NOW),
  held: false,
  items: [],
  fallbackFor: 'teams:ops',
});

/** A message a route planned (not a stand-in): delivery removes it at once. */
const ordinary = (id: string): OutboxMessage => {
  const { fallbackFor: _, ...message } = standIn(id);
  return message;
};

/** A table client that names each write it makes, and fails its next removal (and index writes) when asked, as a storage outage would. */
function writeCountingClient(name: string): {
  client: TableClient;
  writes: string[];
  /** Fails the next delete transaction, or the one after `passing` more have gone through (a removal cut short). */
  failNextRemoval: (passing?: number) => void;
  failIndexWrites: () => void;
} {
  const client = createTableClient({ kind: 'connectionString', connectionString: azurite.connectionString }, name);
  const writes: string[] = [];
  let failRemoval = false;
  let passBefore = 0;
  let failIndex = false;
  const outage = () => Promise.reject(Object.assign(new Error('The server is busy.'), { statusCode: 503, code: 'ServerBusy' }));
  const { createEntity, upsertEntity, updateEntity, deleteEntity, submitTransaction } = client;
  client.createEntity = (...args) => (writes.push(`create ${args[0].rowKey}`), createEntity.apply(client, args));
  client.upsertEntity = (...args) => {
    writes.push(`upsert ${args[0].rowKey}`);
    return failIndex && args[0].partitionKey === DELIVERED_INDEX_PARTITION ? outage() : upsertEntity.apply(client, args);
  };
  client.updateEntity = (...args) => (writes.push(`update ${args[0].rowKey}`), updateEntity.apply(client, args));
  client.deleteEntity = (...args) => (writes.push(`delete ${args[1]}`), deleteEntity.apply(client, args));
  client.submitTransaction = (...args) => {
    const kinds = [...new Set(args[0].map((action) => action[0]))].join('+');
    writes.push(`transaction ${kinds}`);
    if (failRemoval && kinds === 'delete' && passBefore-- <= 0) {
      failRemoval = false;
      return outage();
    }
    return submitTransaction.apply(client, args);
  };
  return {
    client,
    writes,
    failNextRemoval: (passing = 0) => ((failRemoval = true), (passBefore = passing)),
    failIndexWrites: () => (failIndex = true),
  };
}

/** Saves, claims and marks a message delivered at `at`, as delivery does. Sweeps below are given their cut-off (`before`). */
async function deliver(outbox: ReturnType<typeof createOutboxTable>, id: string, at: DateTime, message = standIn(id)) {
  await outbox.saveNew([message]);
  const claimed = await outbox.claim({ id, attempt: 1 }, at.plus({ minutes: 5 }), at);
  if (claimed.kind !== 'claimed') throw new Error(`${id} could not be claimed: ${claimed.kind}`);
  expect(await outbox.settle(claimed.claim, { status: 'delivered', at: toIsoUtc(at), attempt: 1 })).toBe(true);
}

/** The delivered index's row keys, sorted. */
async function indexRowsOf(client: TableClient): Promise<string[]> {
  const keys: string[] = [];
  for await (const row of client.listEntities({ queryOptions: { filter: `PartitionKey eq '${DELIVERED_INDEX_PARTITION}'` } }))
    keys.push(row.rowKey!);
  return keys.sort();
}

const headerScans = (filters: readonly string[]) => filters.filter((f) => !f.startsWith(`PartitionKey eq '`));

describe('sweeping delivered outbox messages', () => {
  it('finds kept messages by the index partition, and a message removed at delivery leaves no index row', async () => {
    const { client, filters } = recordingClient('OutboxIndexed');
    const outbox = createOutboxTable(client);
    await deliver(outbox, 'kept-1', NOW);
    await deliver(outbox, 'kept-2', NOW.plus({ hours: 1 }));
    await deliver(outbox, 'removed', NOW);
    await outbox.remove('removed');
    // The first sweeps also look for messages delivered before the index existed (there are none here).
    expect(await outbox.removeDelivered(NOW.plus({ minutes: 30 }), 500)).toBe(1);
    expect(await outbox.load('kept-1')).toBeUndefined();
    expect(await outbox.load('kept-2')).toBeDefined();
    // A day past the index's start the header scan has found everything older; from then on a sweep reads the index alone.
    expect(await outbox.removeDelivered(NOW.plus({ days: 1, hours: 2 }), 500)).toBe(1);
    filters.length = 0;
    await deliver(outbox, 'kept-3', NOW.plus({ days: 2 }));
    expect(await outbox.removeDelivered(NOW.plus({ days: 3 }), 500)).toBe(1);
    expect(headerScans(filters)).toEqual([]);
    expect(await indexRowsOf(client)).toEqual(['legacySwept', 'since']);
  });

  it('still finds messages delivered before the index existed, at most `max` a run', async () => {
    const { client } = recordingClient('OutboxLegacy');
    const outbox = createOutboxTable(client);
    // Written by the earlier code: a delivered header and no index row.
    await outbox.save([standIn('old-1'), standIn('old-2'), standIn('old-3')]);
    for (const id of ['old-1', 'old-2', 'old-3'])
      await client.updateEntity(
        { partitionKey: id, rowKey: 'header', status: 'delivered', settledAt: toIsoUtc(NOW), deliveredAttempt: 1 },
        'Merge',
      );
    await deliver(outbox, 'new-1', NOW.plus({ hours: 1 }));

    const later = NOW.plus({ days: 2 });
    expect(await outbox.removeDelivered(later, 2)).toBe(2);
    expect(await outbox.removeDelivered(later, 2)).toBe(2);
    for (const id of ['old-1', 'old-2', 'old-3', 'new-1']) expect(await outbox.load(id)).toBeUndefined();
    expect(await outbox.removeDelivered(later, 2)).toBe(0);
  });

  it('tells a repeated ticket whether the delivered message is a kept stand-in, from its header alone', async () => {
    const { client } = recordingClient('OutboxRepeatedTicket');
    const outbox = createOutboxTable(client);
    await deliver(outbox, 'stand-in', NOW);
    await deliver(outbox, 'plain', NOW, ordinary('plain'));
    const later = NOW.plus({ minutes: 1 });
    expect(await outbox.claim({ id: 'stand-in', attempt: 1 }, later.plus({ minutes: 5 }), later)).toMatchObject({
      kind: 'delivered',
      kept: true,
    });
    expect(await outbox.claim({ id: 'plain', attempt: 1 }, later.plus({ minutes: 5 }), later)).toMatchObject({
      kind: 'delivered',
      kept: false,
    });
  });

  it('costs an ordinary delivery no write beyond its delivered mark and its removal', async () => {
    const { client, writes } = writeCountingClient('OutboxWrites');
    const outbox = createOutboxTable(client);
    // The first delivered mark of a process dates the index (once), if nothing dated it before.
    await deliver(outbox, 'first', NOW, ordinary('first'));
    await outbox.remove('first');
    await outbox.saveNew([ordinary('second')]);
    const claimed = await outbox.claim({ id: 'second', attempt: 1 }, NOW.plus({ minutes: 5 }), NOW);
    if (claimed.kind !== 'claimed') throw new Error(`second could not be claimed: ${claimed.kind}`);
    writes.length = 0;
    expect(await outbox.settle(claimed.claim, { status: 'delivered', at: toIsoUtc(NOW), attempt: 1 })).toBe(true);
    await outbox.remove('second');
    expect(writes).toEqual(['update header', 'transaction delete']);
    expect(await outbox.load('second')).toBeUndefined();
  });

  /** A message of `items` items saved, claimed and marked delivered: what a removal by its claim starts from. */
  const deliveredClaim = async (outbox: ReturnType<typeof createOutboxTable>, id: string, items: number) => {
    const item = itemOf(expiring());
    await outbox.saveNew([{ ...ordinary(id), items: Array.from({ length: items }, () => item) }]);
    const claimed = await outbox.claim({ id, attempt: 1 }, NOW.plus({ minutes: 5 }), NOW);
    if (claimed.kind !== 'claimed') throw new Error(`${id} could not be claimed: ${claimed.kind}`);
    expect(await outbox.settle(claimed.claim, { status: 'delivered', at: toIsoUtc(NOW), attempt: 1 })).toBe(true);
    return claimed.claim;
  };

  it('removes a delivered message without reading it again: its claim read it whole', async () => {
    const { client, filters } = recordingClient('OutboxRemovedByClaim');
    const outbox = createOutboxTable(client);
    // 99 items and the header: one delete transaction, the most a claim's rows are removed by.
    const claim = await deliveredClaim(outbox, 'digest', 99);
    filters.length = 0;
    await outbox.remove('digest', claim);
    expect(filters).toEqual([]);
    const left: string[] = [];
    for await (const row of client.listEntities({ queryOptions: { filter: `PartitionKey eq 'digest'` } })) left.push(row.rowKey!);
    expect(left).toEqual([]);
  });

  it('removes a message already gone by its claim without a failure: a duplicate ticket removed it first', async () => {
    const { client } = recordingClient('OutboxRemovedTwice');
    const outbox = createOutboxTable(client);
    const claim = await deliveredClaim(outbox, 'twice', 1);
    await outbox.remove('twice');
    await expect(outbox.remove('twice', claim)).resolves.toBeUndefined();
  });

  it('sweeps the leftovers of a large message removed by its claim whose removal was cut short after its header went', async () => {
    const { client, failNextRemoval } = writeCountingClient('OutboxClaimHalfRemoved');
    const outbox = createOutboxTable(client);
    // 150 items: two delete transactions, the header's first; the second fails.
    const claim = await deliveredClaim(outbox, 'large', 150);
    failNextRemoval(1);
    await expect(outbox.remove('large', claim)).rejects.toThrow(/server is busy/);

    expect(await outbox.removeDelivered(NOW.plus({ days: 1 }), 500)).toBe(1);
    const left: string[] = [];
    for await (const row of client.listEntities({ queryOptions: { filter: `PartitionKey eq 'large'` } })) left.push(row.rowKey!);
    expect(left).toEqual([]);
  });

  it('indexes a delivered message whose removal failed, and the sweep finds it by the index and removes it', async () => {
    const { client, failNextRemoval } = writeCountingClient('OutboxFailedRemoval');
    const filters: string[] = [];
    const list = client.listEntities.bind(client);
    client.listEntities = (options) => (filters.push(options?.queryOptions?.filter ?? '(all)'), list(options));
    const outbox = createOutboxTable(client);
    // A kept stand-in dates the index; a sweep a day past it ends the header scan, so later sweeps read the index alone.
    await deliver(outbox, 'kept', NOW);
    expect(await outbox.removeDelivered(NOW.plus({ days: 1, hours: 2 }), 500)).toBe(1);

    await deliver(outbox, 'stuck', NOW.plus({ days: 2 }), ordinary('stuck'));
    failNextRemoval();
    await expect(outbox.remove('stuck')).rejects.toThrow(/server is busy/);
    expect(await outbox.load('stuck')).toBeDefined();

    filters.length = 0;
    expect(await outbox.removeDelivered(NOW.plus({ days: 3 }), 500)).toBe(1);
    expect(await outbox.load('stuck')).toBeUndefined();
    expect(headerScans(filters)).toEqual([]);
    expect(await indexRowsOf(client)).toEqual(['legacySwept', 'since']);
  });

  it('removes the leftovers of a large message whose removal was cut short after its header went', async () => {
    const { client, failNextRemoval } = writeCountingClient('OutboxHalfRemoved');
    const outbox = createOutboxTable(client);
    await deliver(outbox, 'large', NOW, ordinary('large'));
    // A message of 150 item rows (what they hold does not matter to removal): its removal takes two transactions.
    const items = Array.from({ length: 150 }, (_, i) => ({
      partitionKey: 'large',
      rowKey: `item-${String(i).padStart(6, '0')}`,
      item: '{}',
    }));
    for (const batch of [items.slice(0, 100), items.slice(100)]) await client.submitTransaction(batch.map((row) => ['upsert', row]));
    failNextRemoval(1);
    await expect(outbox.remove('large')).rejects.toThrow(/server is busy/);
    expect(await outbox.load('large')).toBeUndefined();

    expect(await outbox.removeDelivered(NOW.plus({ days: 1 }), 500)).toBe(1);
    const left: string[] = [];
    for await (const row of client.listEntities({ queryOptions: { filter: `PartitionKey eq 'large'` } })) left.push(row.rowKey!);
    expect(left).toEqual([]);
    expect(await indexRowsOf(client)).not.toContainEqual(expect.stringContaining('large'));
  });

  it('says so when a delivered message can be neither removed nor indexed: a person must remove it', async () => {
    const { client, failNextRemoval, failIndexWrites } = writeCountingClient('OutboxNeitherRemovedNorIndexed');
    const outbox = createOutboxTable(client);
    await deliver(outbox, 'stranded', NOW, ordinary('stranded'));
    failNextRemoval();
    failIndexWrites();
    await expect(outbox.remove('stranded')).rejects.toThrow(
      /503 ServerBusy; it could not be indexed for the outbox sweep either.*stays in the outbox table until it is removed by hand/,
    );
  });

  it('says so too when storage cannot even be read to tell when the message was delivered', async () => {
    const { client } = writeCountingClient('OutboxNeitherReadNorIndexed');
    const outbox = createOutboxTable(client);
    await deliver(outbox, 'unread', NOW, ordinary('unread'));
    const outage = () => Object.assign(new Error('The server is busy.'), { statusCode: 503, code: 'ServerBusy' });
    client.listEntities = () => {
      throw outage();
    };
    client.getEntity = () => Promise.reject(outage());
    await expect(outbox.remove('unread')).rejects.toThrow(
      /503 ServerBusy; it could not be indexed for the outbox sweep either.*stays in the outbox table until it is removed by hand/,
    );
  });
});
