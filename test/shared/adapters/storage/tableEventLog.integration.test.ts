import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../../../../local/azurite/startAzurite.js';
import { createTableClient } from '../../../../shared/adapters/storage/createTableClient.js';
import { createTableEventLog } from '../../../../shared/adapters/storage/tableEventLog.js';
import { expiring, NOW, TENANT, tokenRefreshed } from '../../notifications/notificationFixtures.js';

const OTHER_TENANT = '22222222-2222-4222-8222-222222222222';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite.stop());

const logIn = (table: string) =>
  createTableEventLog(createTableClient({ kind: 'connectionString', connectionString: azurite.connectionString }, table));

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

  it('lists nothing, without failing, before anything was published', async () => {
    expect(await logIn('EventsNone').list()).toEqual([]);
  });
});
