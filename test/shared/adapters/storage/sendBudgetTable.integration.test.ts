import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableNames } from '../../../../shared/adapters/storage/tableNames.js';
import { createTableEventLog } from '../../../../shared/adapters/storage/tableEventLog.js';
import type { OutboxMessage, OutboxTicket } from '../../../../shared/notifications/OutboxMessage.js';
import type { OutboxQueue } from '../../../../shared/notifications/OutboxPorts.js';
import { processOutboxTicket, type DeliveryDeps } from '../../../../shared/notifications/processOutboxTicket.js';
import type { TicketResult } from '../../../../shared/notifications/TicketResult.js';
import { createNotifications } from '../../../../shared/wiring/createNotifications.js';
import { resolveCloud } from '../../../../shared/wiring/resolveCloud.js';
import type { Runtime } from '../../../../shared/wiring/createRuntime.js';
import type { StorageFaultProxy } from '../../../support/storageFaultProxy.js';
import { startTestStack, type TestStack } from '../../../support/startTestStack.js';
import { expiring, itemOf } from '../../notifications/notificationFixtures.js';
import { notificationScenario, OPS } from '../../notifications/notificationStack.js';

/**
 * Two Function instances deliver one backlog of mail from one mailbox at once, each with its own
 * production-wired delivery side, over the real Graph sendMail, the real outbox table and one Azurite.
 * The outbox queue is simulated at its port (a ticket runs when its visibility delay has passed on the
 * local cloud's clock), so minutes pass without sleeping.
 */
const MAILS = 45;
let stack: TestStack & { storageFaults: StorageFaultProxy };
let runtime: Runtime;
const instances: DeliveryDeps[] = [];
const due: Array<{ ticket: OutboxTicket; atMs: number }> = [];
const results: TicketResult[] = [];
const cloudNowMs = () => stack.cloud.context.store.now().getTime();

beforeAll(async () => {
  stack = await startTestStack({ scenario: notificationScenario(), storageFaults: true });
  runtime = stack.runtimeWith({
    VIGIL_ROUTES: JSON.stringify({ defaultRoute: 'ops', routes: { ops: { mail: { to: [OPS] } } } }),
    VIGIL_MAIL_SENDER: OPS,
  });
  const { settings } = runtime;
  const simulated: OutboxQueue = {
    // Storage queues delay by whole seconds, as the adapter rounds up.
    enqueue: async (ticket, delayMs = 0) => void due.push({ ticket, atMs: cloudNowMs() + Math.ceil(delayMs / 1000) * 1000 }),
    poison: async () => {
      throw new Error('nothing should be parked');
    },
  };
  for (let i = 0; i < 2; i++) {
    const notifications = createNotifications({
      settings,
      credential: runtime.credential,
      home: resolveCloud(settings, settings.VIGIL_CLOUD),
      homeGraph: runtime.homeGraph,
      telemetry: runtime.telemetry,
      eventLog: createTableEventLog(runtime.table('events')),
      table: runtime.table,
      queue: runtime.queue,
      nowMs: cloudNowMs,
    });
    instances.push({ ...notifications.delivery!, queue: simulated });
  }
});
afterAll(async () => stack?.stop());

describe('the mail send budget, shared by two instances', () => {
  it('sends a backlog from two instances at once with no 60 s holding more than 30 at Exchange, and loses none', async () => {
    const createdAt = DateTime.fromMillis(cloudNowMs(), { zone: 'utc' });
    const messages: OutboxMessage[] = Array.from({ length: MAILS }, (_, i) => ({
      id: `backlog.${i}`,
      route: 'ops',
      channel: { kind: 'mail' },
      createdAt: createdAt.toISO()!,
      held: false,
      items: [itemOf(expiring({ app: `Backlog app ${String(i).padStart(2, '0')}`, now: createdAt }))],
    }));
    await instances[0]!.outbox.save(messages);
    // Every ticket visible at once: what a late listener, or two flushes' worth of mail, finds.
    for (const m of messages) due.push({ ticket: { id: m.id, attempt: 1 }, atMs: cloudNowMs() });

    for (let rounds = 0; due.length > 0; rounds++) {
      if (rounds > 200)
        throw new Error(
          `still ${due.length} ticket(s) due after 200 rounds: ${JSON.stringify(results.slice(-3))} ${JSON.stringify(due.slice(0, 3))} now ${cloudNowMs()}`,
        );
      due.sort((a, b) => a.atMs - b.atMs);
      const next = due[0]!.atMs;
      if (next > cloudNowMs()) await stack.admin('/admin/clock', { advanceMs: next - cloudNowMs() });
      const ready = due.splice(0, due.filter((d) => d.atMs <= cloudNowMs()).length);
      // Both instances take tickets at the same moment, as two listeners on one queue do.
      const now = DateTime.fromMillis(cloudNowMs(), { zone: 'utc' });
      results.push(...(await Promise.all(ready.map((d, i) => processOutboxTicket(d.ticket, instances[i % 2]!, now)))));
    }

    const mail = stack.cloud.context.store.data.mail;
    const subjects = mail.map((m) => (JSON.parse(m.body) as { message: { subject: string } }).message.subject);
    expect(mail).toHaveLength(MAILS);
    for (const m of messages) expect(subjects.filter((s) => s.includes(m.items[0]!.event.subject.displayName))).toHaveLength(1);
    const at = mail.map((m) => Date.parse(m.receivedAt));
    const fullest = Math.max(...at.map((t) => at.filter((u) => u >= t && u < t + 60_000).length));
    expect(fullest).toBeLessThanOrEqual(30);
    // It did wait, and no wait was an attempt: every mail went at its first attempt, nothing failed or retried.
    expect(results.filter((r) => r.kind === 'waiting').length).toBeGreaterThanOrEqual(MAILS - 30);
    expect(results.filter((r) => r.kind !== 'waiting' && r.kind !== 'delivered')).toEqual([]);
    expect(results.flatMap((r) => r.warnings)).toEqual([]);
    const log = await runtime.notifications.log.list({ limit: 500 });
    expect(log.map((e) => `${e.outcome} ${e.attempt}`)).toEqual(Array.from({ length: MAILS }, () => 'delivered 1'));
    // 45 mails at 30 a minute: the last goes in the second minute, not later.
    expect(Math.max(...at) - Math.min(...at)).toBeLessThan(2 * 65_000);
    // 45 mails through two instances, each a few storage round trips: longer than the default under load.
  }, 120_000);

  it('sends a mail with a warning when the budget table answers 503: a bookkeeping row never holds an alert back', async () => {
    const now = DateTime.fromMillis(cloudNowMs(), { zone: 'utc' });
    const message: OutboxMessage = {
      id: 'budget-down.0',
      route: 'ops',
      channel: { kind: 'mail' },
      createdAt: now.toISO()!,
      held: false,
      items: [itemOf(expiring({ app: 'Budget down app', now }))],
    };
    await instances[0]!.outbox.save([message]);
    stack.storageFaults.inject({ table: tableNames.sendBudget }, { kind: 'refuse', status: 503 }, { times: Infinity });
    try {
      const result = await processOutboxTicket({ id: message.id, attempt: 1 }, instances[0]!, now);
      expect(result).toMatchObject({ kind: 'delivered' });
      expect(result.warnings).toEqual([expect.stringContaining('sent without the send budget, which could not be kept')]);
      const sent = stack.cloud.context.store.data.mail.filter((m) => m.body.includes('Budget down app'));
      expect(sent).toHaveLength(1);
    } finally {
      stack.storageFaults.clear();
    }
  });
});
