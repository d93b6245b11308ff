import { createHash } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../../../../local/azurite/startAzurite.js';
import { createTableClient } from '../../../../shared/adapters/storage/createTableClient.js';
import { createTableEventLog } from '../../../../shared/adapters/storage/tableEventLog.js';
import { expiring, NOW, TENANT, tokenRefreshed } from '../../notifications/notificationFixtures.js';
import { trackRequestsInFlight } from '../../../support/requestsInFlight.js';

const OTHER_TENANT = '22222222-2222-4222-8222-222222222222';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite.stop());

const logIn = (table: string) =>
  createTableEventLog(createTableClient({ kind: 'connectionString', connectionString: azurite.connectionString }, table));

/** An event log whose table exists (one event published), with the requests it has in flight tracked from then on. */
async function warmLogIn(table: string) {
  const client = createTableClient({ kind: 'connectionString', connectionString: azurite.connectionString }, table);
  const inFlight = trackRequestsInFlight(client);
  const log = createTableEventLog(client);
  await log.publish([tokenRefreshed('warm-up')]);
  inFlight.reset();
  return { client, inFlight, log };
}

/** The most writes (transactions or single upserts) one partition had in flight at once. */
function trackPartitionsInFlight(client: TableClient): { readonly most: number } {
  const now = new Map<string, number>();
  let most = 0;
  const tracked = async <T>(partition: string, write: () => Promise<T>): Promise<T> => {
    now.set(partition, (now.get(partition) ?? 0) + 1);
    most = Math.max(most, now.get(partition)!);
    try {
      return await write();
    } finally {
      now.set(partition, now.get(partition)! - 1);
    }
  };
  const { submitTransaction, upsertEntity } = client;
  client.submitTransaction = (...args) => tracked(args[0][0]![1].partitionKey, () => submitTransaction.apply(client, args));
  client.upsertEntity = (...args) => tracked(args[0].partitionKey, () => upsertEntity.apply(client, args));
  return {
    get most() {
      return most;
    },
  };
}

/** The id part of an event's shard, as tableEventLog makes it. */
const idPart = (id: string) => createHash('sha256').update(id).digest('hex').slice(0, 1);

/** Each request a client sends from now on, as method and the path's last part (`POST $batch`, `PUT {table}`). */
function trackRequestsSent(client: TableClient): string[] {
  const sent: string[] = [];
  client.pipeline.addPolicy({
    name: 'requestsSent',
    sendRequest: (request, next) => {
      sent.push(`${request.method} ${new URL(request.url).pathname.split('/').at(-1)!.split('(')[0]!}`);
      return next(request);
    },
  });
  return sent;
}

describe('the event log in Table Storage', () => {
  it("lists a tenant's events newest first, across its partitions and transactions, and no other tenant's", async () => {
    const log = logIn('EventsOrder');
    await log.publish([tokenRefreshed('earlier', NOW.minus({ days: 1 }))]);
    // More than one transaction's worth (100) in one publish, as a first scan of a large tenant has.
    const events = Array.from({ length: 140 }, (_, i) => tokenRefreshed(`connection-${i}`, NOW.plus({ minutes: i })));
    const elsewhere = { ...expiring(), tenantId: OTHER_TENANT };
    await log.publish([...events, elsewhere]);

    const listed = await log.list(TENANT);

    expect(listed.map((e) => e.subject.id)).toEqual([...events.map((e) => e.subject.id).reverse(), 'earlier']);
    expect((await log.list(OTHER_TENANT)).map((e) => e.id)).toEqual([elsewhere.id]);
    expect(await log.list()).toHaveLength(142);
  });

  it('keeps one copy of each event when a retried producer publishes its events again', async () => {
    const log = logIn('EventsRetry');
    const lone = expiring();
    const batch = [expiring({ keyId: 'k2' }), tokenRefreshed()];
    await log.publish([lone]);
    await log.publish(batch);

    await log.publish([lone]);
    await log.publish(batch);
    // A re-run step may publish some of the same events, or group them otherwise.
    await log.publish([batch[1]!]);
    await log.publish([lone, batch[0]!]);

    expect((await log.list(TENANT)).map((e) => e.id).sort()).toEqual([lone, ...batch].map((e) => e.id).sort());
  });

  it("spreads a first scan's thousands of events of one instant over partitions, and writes one transaction a partition at a time", async () => {
    const { client, inFlight, log } = await warmLogIn('EventsBurst');
    const partitionsInFlight = trackPartitionsInFlight(client);
    // One publish, one time: a messy tenant's first scan announces every expired credential at once.
    let rowsMade = 0;
    const events = Array.from({ length: 2_000 }, (_, i) => {
      const event = tokenRefreshed(`connection-${i}`);
      const { ...plain } = event;
      return Object.defineProperty(event, 'toJSON', { value: () => ((rowsMade += 1), plain), enumerable: false });
    });
    let madeBeforeFirstWrite: number | undefined;
    client.pipeline.addPolicy({ name: 'rowsMade', sendRequest: (request, next) => ((madeBeforeFirstWrite ??= rowsMade), next(request)) });

    await log.publish(events);

    const perPartition = new Map<string, number>();
    for await (const row of client.listEntities()) perPartition.set(row.partitionKey!, (perPartition.get(row.partitionKey!) ?? 0) + 1);
    // One partition took all 2,000 before (Table Storage serves about 2,000 entities/s per partition), in 20 transactions at once.
    expect(Math.max(...perPartition.values())).toBeLessThanOrEqual(250);
    expect(inFlight.most).toBeLessThanOrEqual(16);
    expect(partitionsInFlight.most).toBe(1);
    // Each row is made as its transaction starts, and full transactions go 2 at a time (each row costs the SDK a
    // request pipeline's work): the first write waited for the rows of 2 transactions, not of 16 or all 2,000.
    expect(madeBeforeFirstWrite).toBeLessThanOrEqual(200);
    expect(new Set((await log.list(TENANT)).map((e) => e.id)).size).toBe(2_001);
  });

  it("writes a scan's ten events of one instant as one transaction, and a lone event as one plain request", async () => {
    const { client, log } = await warmLogIn('EventsFew');
    const sent = trackRequestsSent(client);
    // Ten credentials announced at one instant: by their ids they would spread over about eight of its 16 shards.
    const events = Array.from({ length: 10 }, (_, i) => expiring({ keyId: `k${i}` }));

    await log.publish(events);
    await log.publish([tokenRefreshed('alone', NOW.plus({ minutes: 1 }))]);

    expect(sent).toEqual(['POST $batch', 'PUT EventsFew']);
    const ids = new Set(events.map((e) => e.id));
    expect((await log.list(TENANT)).filter((e) => ids.has(e.id))).toHaveLength(10);
  });

  it('writes rows too large for one transaction together in as many as hold them: at most 4 MiB each, every event stored', async () => {
    const { client, log } = await warmLogIn('EventsLarge');
    const sent = trackRequestsSent(client);
    const bodies: number[] = [];
    client.pipeline.addPolicy({
      name: 'bodySizes',
      sendRequest: (request, next) => {
        if (typeof request.body === 'string') bodies.push(Buffer.byteLength(request.body));
        return next(request);
      },
    });
    // 100 events of one instant, one shard, each about 73 kB as sent: an app named in 8,000 CJK characters (3 bytes
    // each in UTF-8), which its event names three times; together 7.3 MB, which Table Storage refuses in one transaction.
    const app = '名'.repeat(8_000);
    const events = Array.from({ length: 100 }, (_, i) => expiring({ app, keyId: `k${i}` }));

    await log.publish(events);

    expect(sent).toEqual(['POST $batch', 'POST $batch']);
    expect(bodies).toHaveLength(2);
    for (const bytes of bodies) expect(bytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    const ids = new Set(events.map((e) => e.id));
    expect((await log.list(TENANT)).filter((e) => ids.has(e.id))).toHaveLength(100);
  });

  it('lists each event once when a retried step publishes some of them again, alone or grouped otherwise', async () => {
    const { client, log } = await warmLogIn('EventsAgain');
    const events = Array.from({ length: 10 }, (_, i) => expiring({ keyId: `k${i}` }));
    await log.publish(events);

    // Published again alone, an event takes the shard of its own id, not the one its first publish chose.
    const again = events.filter((e) => idPart(e.id) !== idPart(events.map((e) => e.id).sort()[0]!));
    for (const event of again.slice(0, 2)) await log.publish([event]);
    await log.publish(again.slice(2, 5));
    await log.publish(events);

    const ids = new Set(events.map((e) => e.id));
    let rows = 0;
    for await (const row of client.listEntities()) if (ids.has(row.rowKey!.slice(17))) rows += 1;
    // The two published alone have a second row each, in another shard under the same row key.
    expect(rows).toBeGreaterThanOrEqual(12);
    const listed = (await log.list(TENANT)).filter((e) => ids.has(e.id));
    expect(listed.map((e) => e.id).sort()).toEqual([...ids].sort());
    expect((await log.list()).filter((e) => ids.has(e.id))).toHaveLength(10);
  });

  it('spreads an instant of more events than one transaction holds over the shards of their ids', async () => {
    const { client, log } = await warmLogIn('EventsMany');
    const events = Array.from({ length: 101 }, (_, i) => expiring({ keyId: `k${i}` }));

    await log.publish(events);

    const ids = new Set(events.map((e) => e.id));
    const partitions = new Set<string>();
    for await (const row of client.listEntities()) if (ids.has(row.rowKey!.slice(17))) partitions.add(row.partitionKey!);
    expect(partitions.size).toBeGreaterThan(8);
    expect((await log.list(TENANT)).filter((e) => ids.has(e.id))).toHaveLength(101);
  });

  it('sends a publish one write larger at the same pace, not a few at a time: 16 writes at once, of different partitions', async () => {
    const { client, inFlight, log } = await warmLogIn('EventsSeventeen');
    // Seventeen refreshes over as many minutes: events of different instants, so seventeen writes (most a partition of their own).
    const events = Array.from({ length: 17 }, (_, i) => tokenRefreshed(`connection-${i}`, NOW.plus({ minutes: i })));

    await log.publish(events);

    const ids = new Set(events.map((e) => e.id));
    const partitions = new Set<string>();
    for await (const row of client.listEntities()) if (ids.has(row.rowKey!.slice(17))) partitions.add(row.partitionKey!);
    expect(partitions.size).toBeGreaterThan(4);
    expect(inFlight.most).toBe(Math.min(16, partitions.size));
  });

  it('still lists events stored in the shards of earlier versions, once each when one is published again', async () => {
    const client = createTableClient({ kind: 'connectionString', connectionString: azurite.connectionString }, 'EventsUpgrade');
    const log = createTableEventLog(client);
    await log.publish([tokenRefreshed('warm-up')]);
    const old = expiring();
    const rowKey = `${String(8_640_000_000_000_000 - Date.parse(old.time)).padStart(16, '0')}-${old.id}`;
    // An earlier version's shard: the time's hash alone.
    const shard = `${old.tenantId}~${createHash('sha256').update(old.time).digest('hex').slice(0, 2)}`;
    await client.upsertEntity({ partitionKey: shard, rowKey, type: old.type, event: JSON.stringify(old) });
    expect((await log.list(TENANT)).map((e) => e.id)).toContain(old.id);

    await log.publish([old]);

    expect((await log.list(TENANT)).filter((e) => e.id === old.id)).toHaveLength(1);
  });

  it('lists nothing, without failing, before anything was published', async () => {
    expect(await logIn('EventsNone').list()).toEqual([]);
  });
});
