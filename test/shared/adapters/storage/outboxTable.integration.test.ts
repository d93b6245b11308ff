import type { TableClient } from '@azure/data-tables';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../../../../local/azurite/startAzurite.js';
import { createOutboxTable } from '../../../../shared/adapters/storage/outboxTable.js';
import { createTableClient } from '../../../../shared/adapters/storage/createTableClient.js';
import { DELIVERED_INDEX_PARTITION } from '../../../../shared/adapters/storage/deliveredIndex.js';
import type { OutboxMessage } from '../../../../shared/notifications/OutboxMessage.js';
import { toIsoUtc } from '../../../../shared/helpers/toIsoUtc.js';

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

/** Saves, claims and marks a message delivered at `at`, as delivery does. Sweeps below are given their cut-off (`before`). */
async function deliver(outbox: ReturnType<typeof createOutboxTable>, id: string, at: DateTime) {
  await outbox.saveNew([standIn(id)]);
  const claimed = await outbox.claim({ id, attempt: 1 }, at.plus({ minutes: 5 }), at);
  if (claimed.kind !== 'claimed') throw new Error(`${id} could not be claimed: ${claimed.kind}`);
  expect(await outbox.settle(claimed.claim, { status: 'delivered', at: toIsoUtc(at), attempt: 1 })).toBe(true);
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
    const indexRows = [];
    for await (const row of client.listEntities({ queryOptions: { filter: `PartitionKey eq '${DELIVERED_INDEX_PARTITION}'` } }))
      indexRows.push(row.rowKey);
    expect(indexRows.sort()).toEqual(['legacySwept', 'since']);
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
});
