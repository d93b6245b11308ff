import { setTimeout as sleep } from 'node:timers/promises';
import { TableClient } from '@azure/data-tables';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { poisonQueueWatcherTimer } from '../../functions/poisonQueueWatcherTimer.js';
import { createInvocationContext } from '../../local/devhost/invocationContext.js';
import { timerArgument } from '../../local/devhost/runTimerFunctions.js';
import { toQueueMessage } from '../../shared/adapters/storage/createQueueClient.js';
import { poisonQueueOf, queueNames } from '../../shared/adapters/storage/queueNames.js';
import type { StorageFaultProxy } from '../support/storageFaultProxy.js';
import { expiring } from '../shared/notifications/notificationFixtures.js';
import { startNotificationStack, utcNow, type NotificationStack } from '../shared/notifications/notificationStack.js';

let n: NotificationStack;
let faults: StorageFaultProxy;
beforeAll(async () => {
  n = await startNotificationStack({}, { storageFaults: true });
  faults = (n.stack as typeof n.stack & { storageFaults: StorageFaultProxy }).storageFaults;
});
afterAll(async () => n?.stack.stop());
afterEach(async () => {
  faults.clear();
  await n.stack.admin('/admin/faults', undefined, 'DELETE');
});

let counter = 0;
/** A notice for a Cerb-bound app: one webhook to cerb, plus a digest on ops. */
const notice = () =>
  expiring({
    app: `Ledger ${++counter}`,
    appObjectId: `c0000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    downstream: 'Cerb',
    now: utcNow(),
  });
const cerbDeliveries = (id: string) =>
  n.stack.cloud.context.store.data.webhooks.filter((w) => w.endpoint === 'cerb' && JSON.parse(w.body).data.id === id);
const outbox = () => n.runtime.queue(queueNames.outbox);
const poison = () => n.runtime.queue(poisonQueueOf(queueNames.outbox));

describe('deliverNotificationQueue: exactly once per channel', () => {
  it('sends once when storage fails after the receiver accepted, and a host redelivery only cleans up', async () => {
    const event = notice();
    await n.runtime.events.publish([event]);
    await n.flushDigests();
    // The outbox cleanup (a transaction) and the delivery log fail for longer than the SDK retries.
    const removal = faults.inject({ table: 'VigilOutbox', when: (r) => r.batch }, { kind: 'refuse', status: 503 }, { times: 1000 });
    faults.inject(
      { table: 'VigilDeliveries', method: 'PUT' },
      { kind: 'refuse', status: 403, code: 'AuthorizationFailure' },
      { times: 1000 },
    );
    await n.drain();
    expect(removal.hits).toBeGreaterThan(0);
    expect(cerbDeliveries(event.id)).toHaveLength(1);
    expect(n.logs.some((l) => /warning outbox: could not remove the outbox message: HTTP 503/.test(l))).toBe(true);
    expect(n.logs.some((l) => / error /.test(l))).toBe(false);
    faults.clear();

    // The host hands the same ticket over again (it would after a crash): the row says delivered.
    const messageId = n.logs.map((l) => /outbox (\S+) attempt 1: delivered on webhook:cerb/.exec(l)?.[1]).find(Boolean)!;
    await outbox().sendMessage(toQueueMessage({ id: messageId, attempt: 1 }));
    await n.drain();
    expect(cerbDeliveries(event.id)).toHaveLength(1);
    expect(n.logs.at(-1)).toMatch(new RegExp(`outbox ${messageId} attempt 1: already handled \\(delivered at .*; cleaned up\\)`));
    expect(await n.runtime.notifications.outbox.load(messageId)).toBeUndefined();
  });

  it('sends once when two copies of a ticket are handled at the same moment', async () => {
    const event = notice();
    await n.runtime.events.publish([event]);
    await n.flushDigests();
    // A second copy of every ticket, as a duplicate delivery by the queue would give: the dev host runs a batch at once.
    const { peekedMessageItems } = await outbox().peekMessages({ numberOfMessages: 32 });
    for (const item of peekedMessageItems) await outbox().sendMessage(item.messageText);
    await n.drain();
    expect(cerbDeliveries(event.id)).toHaveLength(1);
    const busy = n.logs.filter((l) => /already handled \(another worker holds it until/.test(l));
    expect(busy.length).toBeGreaterThan(0);
  });

  it('never sends a delivered message again when its ticket is replayed from the poison queue', async () => {
    const event = notice();
    await n.runtime.events.publish([event]);
    await n.flushDigests();
    const { peekedMessageItems } = await outbox().peekMessages({ numberOfMessages: 32 });
    // Cleanup fails, so the row stays, marked delivered; a copy of each ticket sits in the poison queue.
    faults.inject(
      { table: 'VigilOutbox', when: (r) => r.batch },
      { kind: 'refuse', status: 403, code: 'AuthorizationFailure' },
      { times: 100 },
    );
    await n.drain();
    faults.clear();
    await poison().createIfNotExists();
    for (const item of peekedMessageItems) await poison().sendMessage(item.messageText);
    expect(cerbDeliveries(event.id)).toHaveLength(1);

    // A person replays the poison queue into the outbox queue (Storage Explorer, az storage message).
    const parked = await poison().receiveMessages({ numberOfMessages: 32 });
    for (const item of parked.receivedMessageItems) {
      await outbox().sendMessage(item.messageText);
      await poison().deleteMessage(item.messageId, item.popReceipt);
    }
    await n.drain();
    expect(cerbDeliveries(event.id)).toHaveLength(1);
    // …and again, once the rows are gone.
    for (const item of peekedMessageItems) await outbox().sendMessage(item.messageText);
    await n.drain();
    expect(cerbDeliveries(event.id)).toHaveLength(1);
  });
});

describe('deliverNotificationQueue: what cannot be read', () => {
  it('reports a corrupt outbox row and a message that is no ticket on the default route, and parks both', async () => {
    // Written straight to Azurite, as a hand edit or a truncated write would leave it.
    const table = TableClient.fromConnectionString(n.stack.azurite.connectionString, 'VigilOutbox', { allowInsecureConnection: true });
    await table.createTable();
    await table.createEntity({ partitionKey: 'm-corrupt', rowKey: 'item-000000', item: '{"findingId":"f-1","reason":"new","event":{' });
    await table.createEntity({
      partitionKey: 'm-corrupt',
      rowKey: 'header',
      route: 'cerb',
      channel: JSON.stringify({ kind: 'webhook', name: 'cerb' }),
      createdAt: utcNow().toISO()!,
      held: false,
      count: 1,
    });
    await Promise.all([poison().createIfNotExists(), outbox().createIfNotExists()]);
    const parkedBefore = (await poison().getProperties()).approximateMessagesCount ?? 0;
    const before = n.captured();
    await outbox().sendMessage(toQueueMessage({ id: 'm-corrupt', attempt: 1 }));
    await outbox().sendMessage(Buffer.from('not a ticket at all').toString('base64'));
    await n.drain();

    expect(n.logs.some((l) => / failed \(attempt/.test(l))).toBe(false);
    expect(n.logs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /error outbox m-corrupt attempt 1: poisoned on webhook:cerb, route cerb \(outbox message m-corrupt is unreadable: item-000000\.item: is not valid JSON\)/,
        ),
        expect.stringMatching(
          /error outbox ticket: poisoned on unknown, route unknown \(an outbox ticket is unreadable: not an outbox ticket/,
        ),
      ]),
    );
    expect(n.captured()).toEqual({ mail: before.mail + 2, teams: before.teams + 2, webhooks: before.webhooks });
    expect(n.stack.cloud.context.store.data.teams.at(-1)!.body).toContain('could not read an outbox message');
    expect((await poison().getProperties()).approximateMessagesCount).toBe(parkedBefore + 2);
    // The poison-queue watcher finds both parked, and reports neither again: each was reported once.
    if (poisonQueueWatcherTimer.kind !== 'timer') throw new Error('poisonQueueWatcherTimer is a timer');
    await poisonQueueWatcherTimer.handler(
      timerArgument(null),
      createInvocationContext('poisonQueueWatcherTimer', () => undefined),
      n.runtime,
    );
    await n.drain();
    expect(n.captured()).toEqual({ mail: before.mail + 2, teams: before.teams + 2, webhooks: before.webhooks });
    // Replayed, the corrupt row is parked again without a second report.
    await outbox().sendMessage(toQueueMessage({ id: 'm-corrupt', attempt: 1 }));
    await n.drain();
    expect(n.captured()).toEqual({ mail: before.mail + 2, teams: before.teams + 2, webhooks: before.webhooks });
  });
});

describe('deliverNotificationQueue: a receiver that hangs', () => {
  it('times out, says so, and delivers on the next attempt', async () => {
    const runtime = n.stack.runtimeWith({ ...n.settings, VIGIL_DELIVERY_TIMEOUT_SECONDS: '1', VIGIL_DELIVERY_BACKOFF_SECONDS: '1' });
    await n.stack.admin('/admin/faults', { service: 'sinks', path: '^/webhooks/cerb$', action: { kind: 'latency', ms: 6_000 }, times: 1 });
    const event = notice();
    await runtime.events.publish([event]);
    const started = Date.now();
    await n.drainWith(runtime);
    // The worker was not held for the receiver's six seconds.
    expect(Date.now() - started).toBeLessThan(5_000);
    const retrying = (await runtime.notifications.log.list({ limit: 5, route: 'cerb' })).find((e) => e.outcome === 'retrying');
    expect(retrying).toMatchObject({ channel: 'webhook:cerb', attempt: 1, detail: 'timed out after 1 s' });
    expect(JSON.stringify(retrying)).not.toContain('https://');

    // The queue's visibility delay is whole seconds.
    await sleep(Math.ceil(retrying!.retryInMs! / 1000) * 1000 + 200);
    await n.drainWith(runtime);
    const delivered = (await runtime.notifications.log.list({ limit: 5, route: 'cerb' })).find(
      (e) => e.messageId === retrying!.messageId && e.outcome === 'delivered',
    );
    expect(delivered).toMatchObject({ attempt: 2 });
    // The hung request reached the receiver late; the retry carries the same webhook-id, so it can drop one.
    const ids = cerbDeliveries(event.id).map((w) => w.headers['webhook-id']);
    expect(new Set(ids)).toEqual(new Set([`msg_${retrying!.messageId}`]));
  });
});
