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
  it("lists a tenant's events newest first, across its partitions, and no other tenant's", async () => {
    const log = logIn('EventsOrder');
    const events = Array.from({ length: 40 }, (_, i) => tokenRefreshed(`connection-${i}`, NOW.plus({ minutes: i })));
    const elsewhere = { ...expiring(), tenantId: OTHER_TENANT };
    await log.publish([...events, elsewhere]);

    const listed = await log.list(TENANT);

    expect(listed.map((e) => e.id)).toEqual(events.map((e) => e.id).reverse());
    expect((await log.list(OTHER_TENANT)).map((e) => e.id)).toEqual([elsewhere.id]);
    expect(await log.list()).toHaveLength(41);
  });

  it('keeps one copy of an event a retried producer publishes again', async () => {
    const log = logIn('EventsRetry');
    const event = expiring();
    await log.publish([event]);

    await expect(log.publish([event, tokenRefreshed()])).resolves.toBeUndefined();

    expect((await log.list(TENANT)).filter((e) => e.id === event.id)).toEqual([event]);
  });

  it('lists nothing, without failing, before anything was published', async () => {
    expect(await logIn('EventsNone').list()).toEqual([]);
  });
});
