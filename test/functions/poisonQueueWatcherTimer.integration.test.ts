import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvocationContext } from '../../local/devhost/invocationContext.js';
import { toQueueMessage } from '../../shared/adapters/storage/createQueueClient.js';
import { poisonQueueOf, queueNames } from '../../shared/adapters/storage/queueNames.js';
import { createDashboardSources } from '../../shared/wiring/createDashboardSources.js';
import type { Runtime } from '../../shared/wiring/createRuntime.js';
import { noTelemetry, type Telemetry } from '../../shared/telemetry/Telemetry.js';
import { poisonQueueWatcherTimer } from '../../functions/poisonQueueWatcherTimer.js';
import type { StorageFaultProxy } from '../support/storageFaultProxy.js';
import { expiring } from '../shared/notifications/notificationFixtures.js';
import { startNotificationStack, utcNow, type NotificationStack } from '../shared/notifications/notificationStack.js';

let n: NotificationStack;
let faults: StorageFaultProxy;
const logs: string[] = [];
beforeAll(async () => {
  n = await startNotificationStack({}, { storageFaults: true });
  faults = (n.stack as typeof n.stack & { storageFaults: StorageFaultProxy }).storageFaults;
});
afterAll(async () => n?.stack.stop());

const timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };
const gauges: Array<{ metric: string; value: number; queue: string | undefined }> = [];
async function watch() {
  if (poisonQueueWatcherTimer.kind !== 'timer') throw new Error('poisonQueueWatcherTimer is a timer');
  // The runtime as wired, with the gauges it records kept for the test (the Telemetry port).
  const telemetry: Telemetry = {
    ...noTelemetry,
    gauge: (metric, value, dimensions: { queue?: string }) => void gauges.push({ metric, value, queue: dimensions.queue }),
  };
  const runtime: Runtime = { ...n.runtime, telemetry };
  await poisonQueueWatcherTimer.handler(
    timer,
    createInvocationContext('poisonQueueWatcherTimer', (_f, level, line) => logs.push(`${level} ${line}`)),
    runtime,
  );
}
const poison = (queue: string) => n.runtime.queue(poisonQueueOf(queue));
const depth = async (queue: string) => (await poison(queue).getProperties()).approximateMessagesCount ?? 0;
const data = () => n.stack.cloud.context.store.data;

describe('the poison-queue watcher', () => {
  it('reports what the host parked, once, by a channel that works; a replay then sends each notice once', async () => {
    const event = expiring({ app: 'Parked app', downstream: 'Cerb', now: utcNow() });
    await n.runtime.events.publish([event]);
    // Table storage refuses Vigil (a lost role) for longer than the host's five tries: it parks all three tickets.
    faults.inject({ table: 'VigilOutbox', method: 'GET' }, { kind: 'refuse', status: 403, code: 'AuthorizationFailure' }, { times: 1000 });
    for (
      let pass = 0;
      pass < 10 &&
      (await poison(queueNames.outbox)
        .exists()
        .then((e) => (e ? depth(queueNames.outbox) : 0))) < 3;
      pass++
    ) {
      await n.drain();
      await sleep(1_100);
    }
    faults.clear();
    expect(await depth(queueNames.outbox)).toBe(3);
    // A refresh the host gave up on too.
    await poison(queueNames.refresh).createIfNotExists();
    await poison(queueNames.refresh).sendMessage(
      toQueueMessage({ vaultUrl: 'https://kv.vault.azure.net', name: 'cerb-mailbox', plannedAt: utcNow().toISO(), reason: 'due' }),
    );
    const before = n.captured();

    await watch();
    await n.drain();
    const reports = { mail: data().mail.slice(before.mail), teams: data().teams.slice(before.teams) };
    // The refresh: one queue.poisoned report on each of ops' channels.
    expect(reports.teams.filter((t) => t.body.includes('vigil-refresh-poison') && t.body.includes('cerb-mailbox'))).toHaveLength(1);
    expect(reports.mail.filter((m) => m.body.includes('vigil-refresh-poison'))).toHaveLength(1);
    // The outbox: each parked notice's channel reported on the others (ops had been given the notice by the rules).
    expect(reports.teams.some((t) => t.body.includes('mail on route ops'))).toBe(true);
    expect(reports.mail.some((m) => m.body.includes('teams:ops on route ops'))).toBe(true);
    expect(reports.mail.some((m) => m.body.includes('webhook:cerb on route cerb'))).toBe(true);
    expect(logs.filter((l) => /^error \d+ message\(s\) newly parked in vigil-(outbox|refresh)-poison/.test(l))).toHaveLength(2);
    expect(gauges).toEqual(
      expect.arrayContaining([
        { metric: 'poisonDepth', value: 1, queue: 'vigil-refresh-poison' },
        { metric: 'poisonDepth', value: 3, queue: 'vigil-outbox-poison' },
        { metric: 'poisonDepth', value: 0, queue: 'vigil-scan-tenants-poison' },
      ]),
    );
    expect(await createDashboardSources(n.runtime).poisonDepth()).toBe(4);

    // Once: the next run finds nothing new.
    const after = n.captured();
    await watch();
    await n.drain();
    expect(n.captured()).toEqual(after);

    // Replayed once storage is back, every parked notice is sent, once.
    const parked = await poison(queueNames.outbox).receiveMessages({ numberOfMessages: 32 });
    for (const item of parked.receivedMessageItems) {
      await n.runtime.queue(queueNames.outbox).sendMessage(item.messageText);
      await poison(queueNames.outbox).deleteMessage(item.messageId, item.popReceipt);
    }
    await n.drain();
    // …and webhook:cerb delivering again closes its failure reported above: ops hears "resolved", once. (Mail and
    // teams:ops closed theirs when they delivered each other's reports: the outage was storage, not them.)
    expect(n.captured()).toEqual({ mail: after.mail + 2, teams: after.teams + 2, webhooks: after.webhooks + 1 });
    const recovered = data()
      .mail.slice(after.mail)
      .filter((m) => m.body.includes('delivers to webhook:cerb on route cerb again'));
    expect(recovered).toHaveLength(1);
    expect(data().webhooks.filter((w) => JSON.parse(w.body).data.id === event.id)).toHaveLength(1);
  });
});
