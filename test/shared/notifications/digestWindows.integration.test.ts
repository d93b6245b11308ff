import { randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvocationContext } from '../../../functions/azureFunctions.js';
import { flushDigestQueue } from '../../../functions/flushDigestQueue.js';
import { reminderTimer } from '../../../functions/reminderTimer.js';
import { timerArgument } from '../../../local/devhost/runTimerFunctions.js';
import { tableNames } from '../../../shared/adapters/storage/tableNames.js';
import { newEvent } from '../../../shared/events/newEvent.js';
import type { VigilEvent } from '../../../shared/events/vigilEvent.js';
import type { DigestStore } from '../../../shared/notifications/DigestPorts.js';
import { announceSnoozeEnd } from '../../../shared/notifications/announceSnoozeEnd.js';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import { flushDigest, partialWarning, type Flushed } from '../../../shared/notifications/flushDigest.js';
import { sweepDigests } from '../../../shared/notifications/sweepDigests.js';
import type { NotificationState } from '../../../shared/notifications/NotificationState.js';
import type { OutboxQueue } from '../../../shared/notifications/OutboxPorts.js';
import type { NotificationLifecycle } from '../../../shared/wiring/createNotifications.js';
import { toIsoUtc } from '../../../shared/helpers/toIsoUtc.js';
import { digestStackKit } from './digestStackKit.js';
import { expiring, TENANT } from './notificationFixtures.js';
import { startNotificationStack, utcNow, type NotificationStack } from './notificationStack.js';

// Five-minute windows, as in production: what a route must hear within one goes out as one digest.
let n: NotificationStack;
beforeAll(async () => {
  n = await startNotificationStack({ VIGIL_DIGEST_WINDOW_SECONDS: '300' });
});
afterAll(async () => n?.stack.stop());

const { data, lifecycle, captured, since, pipelineWith, windowBuckets } = digestStackKit(() => n);
/** What the flush tickets do once their window has ended (their visibility delay runs on the real clock). */
async function flushWindowsNow(): Promise<string[]> {
  const buckets = (await lifecycle().digests.listBuckets()).filter((b) => b !== 'daily');
  if (flushDigestQueue.kind !== 'storageQueue') throw new Error('not a queue function');
  for (const bucket of buckets)
    await flushDigestQueue.handler({ bucket }, new InvocationContext({ functionName: flushDigestQueue.name }), n.runtime);
  await n.drain();
  return buckets;
}
/** A publisher whose hold writes only the first `n` items it is given, then fails (a hold is split by bytes). */
const holdingOnly = (n: number, clock?: NotificationLifecycle['clock'], windowSeconds?: number) => {
  const digests: DigestStore = {
    ...lifecycle().digests,
    hold: async (bucket, items) => {
      await lifecycle().digests.hold(bucket, items.slice(0, n));
      throw new Error('a later transaction failed');
    },
  };
  return pipelineWith({ digests, ...(clock ? { clock } : {}), ...(windowSeconds === undefined ? {} : { windowSeconds }) });
};
/** A publisher whose hold writes the first `n` items, then pauses (rejects 'paused'); `rest()` holds the others. */
const pausingAfter = (n: number) => {
  let rest: (() => Promise<void>) | undefined;
  const digests: DigestStore = {
    ...lifecycle().digests,
    hold: async (bucket, items) => {
      await lifecycle().digests.hold(bucket, items.slice(0, n));
      rest = () => lifecycle().digests.hold(bucket, items.slice(n));
      throw new Error('paused: the flush runs now');
    },
  };
  return { publisher: pipelineWith({ digests }), rest: () => rest!() };
};
/** Flushes every window bucket (a publish may straddle two windows), adding up what the flushes did. */
async function flushEachWindow(): Promise<{ items: number; abandoned: number; waiting: number }> {
  const flushed = { items: 0, abandoned: 0, waiting: 0 };
  for (const b of await windowBuckets()) {
    const result = await flushDigest(b, lifecycle(), utcNow());
    if (result.kind === 'busy') throw new Error(`bucket ${b} busy`);
    for (const key of ['items', 'abandoned', 'waiting'] as const) flushed[key] += result[key];
  }
  return flushed;
}
/** One credential found expiring, then at a higher severity in the same run: one decision of two items. */
const escalating = (app: string, appObjectId: string, now = utcNow()): VigilEvent[] => [
  expiring({ app, appObjectId, now, daysLeft: 10, severity: 'medium' }),
  expiring({ app, appObjectId, now, daysLeft: 9, severity: 'high' }),
];
const tenant = (i: number) => `20000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const deliveryFailed = (): VigilEvent =>
  newEvent(
    {
      type: 'delivery.failed',
      tenantId: TENANT,
      subject: { kind: 'channel', id: 'cerb/webhook:cerb', displayName: 'webhook:cerb on route cerb' },
      severity: 'high',
      summary: 'Vigil could not deliver 1 notification(s) (credential.expiring) to webhook:cerb on route cerb: HTTP 500.',
      dedupeKey: 'delivery.failed|cerb|webhook:cerb|exhausted',
      data: { channel: 'webhook:cerb', route: 'cerb', attempts: 6, reason: 'HTTP 500', disabled: false },
    },
    utcNow(),
  );

describe('one digest per route per window, across producers', () => {
  it("sends 1,000 tenants' findings published within a window as one mail and one card per route, webhooks one per event", async () => {
    await flushWindowsNow();
    const before = captured();
    const now = utcNow();
    // One publish per tenant, 24 at a time, as one instance's scan queue listener runs its scans.
    const events = Array.from({ length: 1000 }, (_, i) => {
      const event = expiring({
        app: i % 100 === 0 ? `Creatio ${i}` : `Tenant app ${i}`,
        appObjectId: `o-${i}`,
        keyId: `k-${i}`,
        daysLeft: 5 + (i % 20),
        now,
      });
      return { ...event, tenantId: tenant(i) };
    });
    for (let i = 0; i < events.length; i += 24) await Promise.all(events.slice(i, i + 24).map((e) => n.runtime.events.publish([e])));
    await n.drain();
    // Publishing takes seconds (a minute on a loaded machine), so it may straddle the end of a window: that
    // window's flush ticket is then already visible and its digest leaves; nothing of the open window does.
    const windowOf = (ms: number) => Math.floor(ms / 300_000);
    const straddled = windowOf(Date.now()) !== windowOf(now.toMillis());
    const early = since(before);
    expect(early.mail, 'nothing leaves before its window ends').toBe(straddled ? early.mail : 0);
    expect(early.mail).toBeLessThanOrEqual(1);
    expect(early.teams).toBe(early.mail);

    const buckets = await flushWindowsNow();
    const digests = early.mail + buckets.length;
    expect(digests).toBeGreaterThanOrEqual(1);
    expect(digests).toBeLessThanOrEqual(2);
    expect(since(before)).toEqual({ mail: digests, teams: digests, webhooks: 10 });
    const mailed = (await n.runtime.notifications.log.list({ limit: 20, route: 'ops' })).filter((e) => e.channel === 'mail');
    expect(mailed.slice(0, digests).reduce((sum, e) => sum + e.items, 0)).toBe(1000);
    // Exchange Online takes about 30 messages a minute from a mailbox: never more in any minute.
    const times = data().mail.map((m) => Date.parse(m.receivedAt));
    expect(Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 60_000).length))).toBeLessThanOrEqual(30);
  }, 240_000);

  it("spreads the mails of one flush at the mailbox's send budget: 30 at once, the next 30 a window later", async () => {
    const delays: number[] = [];
    const tickets: string[] = [];
    // Recorded, not queued: the spread is what this test is about (the budget itself: sendBudgetTable.integration).
    const queue: OutboxQueue = {
      ...lifecycle().queue,
      enqueue: async (ticket, delayMs = 0) => {
        delays.push(delayMs);
        tickets.push(ticket.id);
      },
    };
    // 40 routes with a mail each, all hearing of something in the same window.
    const routes = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [
        `r${i}`,
        {
          mail: { to: [`r${i}@contoso.com`], includeAppOwners: false },
          teams: [],
          slack: [],
          pagerduty: [],
          webhooks: [],
          schedule: 'perRun' as const,
        },
      ]),
    );
    const config = { ...lifecycle().config, routes: { ...lifecycle().config.routes, ...routes } };
    const items = Array.from({ length: 40 }, (_, i) => ({
      route: `r${i}`,
      event: expiring({ app: `Spaced ${i}`, appObjectId: `s-${i}`, now: utcNow() }),
    }));
    const { commitDecisions } = await import('../../../shared/notifications/commitDecisions.js');
    const { decideDeliveries } = await import('../../../shared/notifications/decideDeliveries.js');
    const decided = decideDeliveries(items, new Map(), new Map(), utcNow(), lifecycle().policy);
    await commitDecisions(
      [...decided.decided.values()].map((d) => ({ ...d, etag: undefined })),
      { ...lifecycle(), config },
    );
    for (const bucket of (await lifecycle().digests.listBuckets()).filter((b) => b !== 'daily'))
      await flushDigest(bucket, { ...lifecycle(), config, queue }, utcNow());
    const sorted = [...delays].sort((a, b) => a - b);
    expect(sorted).toHaveLength(40);
    expect(sorted).toEqual([...Array.from({ length: 30 }, () => 0), ...Array.from({ length: 10 }, () => 65_000)]);
    for (const id of tickets) await lifecycle().outbox.remove(id);
  });
});

describe('what a digest shows of a finding', () => {
  it("shows the last of a finding's items decided at one instant: its current state", async () => {
    const before = captured();
    // Eight credentials, each found expiring and then at a higher severity by one run: one decision each, two items.
    const events = Array.from({ length: 8 }, (_, i) => {
      const app = { app: `Escalated app ${i}`, appObjectId: `o-escalated-${i}`, now: utcNow() };
      return [expiring({ ...app, severity: 'medium' }), expiring({ ...app, severity: 'high' })];
    }).flat();

    await n.runtime.events.publish(events);
    await flushWindowsNow();

    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 0 });
    expect(JSON.parse(data().mail.at(-1)!.body).message.subject).toMatch(/^\[Vigil\] 8 need action \(8 high\) — /);
  });
});

describe('concurrent decisions and failures', () => {
  it('sends one mail when four publishers report the same delivery.failed at the same moment, each in a digest of its own', async () => {
    // Without a window each publish is its own digest: only the conditional state write keeps three of them quiet.
    const instances = Array.from({ length: 4 }, () => n.runtimeWith({ VIGIL_DIGEST_WINDOW_SECONDS: '0' }));
    const before = captured();
    await Promise.all(instances.map((runtime) => runtime.events.publish([deliveryFailed()])));
    await n.drain();
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 0 });
  });

  it('sends nothing on a second flush of a bucket, and finishes a flush that stopped half-way without sending twice', async () => {
    const before = captured();
    await n.runtime.events.publish([expiring({ app: 'Half-way app', appObjectId: 'o-half', now: utcNow() })]);
    const [bucket] = (await lifecycle().digests.listBuckets()).filter((b) => b !== 'daily');
    // The flush stops after enqueueing its messages, before it records that it did.
    let stopped = false;
    const digests: DigestStore = {
      ...lifecycle().digests,
      setStep: async (b, batch) => {
        if (batch.step === 'enqueued' && !stopped) {
          stopped = true;
          throw new Error('the instance stopped');
        }
        return lifecycle().digests.setStep(b, batch);
      },
    };
    await expect(flushDigest(bucket!, { ...lifecycle(), digests }, utcNow())).rejects.toThrow('the instance stopped');
    await n.drain(); // what it enqueued is delivered meanwhile
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 0 });

    expect(await flushDigest(bucket!, lifecycle(), utcNow())).toMatchObject({ kind: 'flushed', items: 0, messages: 0 });
    expect(await flushDigest(bucket!, lifecycle(), utcNow())).toMatchObject({ kind: 'flushed', items: 0, messages: 0 });
    await n.drain();
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 0 });
    expect(await lifecycle().digests.list(bucket!)).toEqual({ items: [], batches: [] });
  });

  it('sends what a publish decided before it failed half-way, once, and leaves nothing behind', async () => {
    const before = captured();
    const event = expiring({ app: 'Creatio crashed', appObjectId: 'o-crashed', now: utcNow() });
    // The instance stops after putting its decisions in the bucket, before writing the notification state.
    const state: NotificationState = {
      ...lifecycle().state,
      commit: async () => {
        throw new Error('the instance stopped');
      },
    };
    const stalled = pipelineWith({ state });
    await expect(stalled.publish([event])).rejects.toThrow('the instance stopped');

    await flushWindowsNow();
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 1 });
    // The producer retries its run: the decision was committed by the flush, so this is a duplicate.
    await n.runtime.events.publish([event]);
    await flushWindowsNow();
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 1 });
    expect((await lifecycle().digests.listBuckets()).filter((b) => b !== 'daily')).toEqual([]);
  });

  it('sends every item of a decision whose hold failed half-way, once its publisher retries', async () => {
    const before = captured();
    // One decision, two items: the credential is found expiring, then at a higher severity in the same run.
    const events = escalating('Split hold app', 'o-split');
    // The hold's first transaction succeeds and its second fails.
    await expect(holdingOnly(1).publish(events)).rejects.toThrow('a later transaction failed');
    // A flush of the bucket before the retry sends no part of the decision, and says it left the part for the retry.
    const [bucket] = (await lifecycle().digests.listBuckets()).filter((b) => b !== 'daily');
    const logs: string[] = [];
    const context = new InvocationContext({
      functionName: flushDigestQueue.name,
      logHandler: (_level, ...args) => logs.push(args.join(' ')),
    });
    if (flushDigestQueue.kind !== 'storageQueue') throw new Error('not a queue function');
    await flushDigestQueue.handler({ bucket }, context, n.runtime);
    expect(logs).toEqual([
      `digest ${bucket}: 0 item(s) in 0 outbox message(s), 1 left for their publisher's retry (its decision was held only in part)`,
    ]);
    await n.drain();
    expect(since(before)).toEqual({ mail: 0, teams: 0, webhooks: 0 });

    await n.runtime.events.publish(events);
    const flushed = await flushEachWindow();
    await n.drain();
    // Both items of the retry's decision go out, in one digest; the part held first is abandoned: the state moved on.
    expect(flushed).toEqual({ items: 2, abandoned: 1, waiting: 0 });
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 0 });
    expect((await lifecycle().digests.listBuckets()).filter((b) => b !== 'daily')).toEqual([]);
  });

  it('gives all items of a decision one verdict, from one read of its state, though its publisher finishes while the flush reads', async () => {
    const before = captured();
    // One decision, three items (found expiring, then higher twice in one run); the flush lists the bucket after
    // the hold's first transaction (two items) and before its second.
    const app = { app: 'One verdict app', appObjectId: 'o-one-verdict', now: utcNow() };
    const events = (['medium', 'high', 'critical'] as const).map((severity, i) => expiring({ ...app, daysLeft: 10 - i, severity }));
    const { publisher, rest } = pausingAfter(2);
    await expect(publisher.publish(events)).rejects.toThrow('paused');
    const [bucket] = await windowBuckets();
    const { items: held } = await lifecycle().digests.list(bucket!);
    expect(held).toHaveLength(2);
    // Right after the flush's first read of the state, the publisher holds the rest and commits: a second read
    // (one per item) would see the decision made and send the second item alone.
    let reads = 0;
    const state: NotificationState = {
      ...lifecycle().state,
      read: async (key) => {
        const read = await lifecycle().state.read(key);
        if (reads++ === 0) {
          await rest();
          await lifecycle().state.commit(held[0]!.change);
        }
        return read;
      },
    };
    expect(await flushDigest(bucket!, { ...lifecycle(), state }, utcNow())).toMatchObject({ items: 0, waiting: 2 });
    expect(reads).toBe(1);

    // The next flush finds the decision whole and committed, and sends it whole, as one digest.
    expect(await flushEachWindow()).toEqual({ items: 3, abandoned: 0, waiting: 0 });
    await n.drain();
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 0 });
  });

  it('sends whole, not as a part, a decision its publisher finished holding and committed after the flush listed the bucket', async () => {
    const before = captured();
    // One decision of two items over two of the hold's transactions; the flush lists the bucket between them,
    // and the publisher holds the rest and commits before the flush reads the state.
    const { publisher, rest } = pausingAfter(1);
    await expect(publisher.publish(escalating('Listed mid-hold app', 'o-listed-mid-hold'))).rejects.toThrow('paused');
    const [bucket] = await windowBuckets();
    const { items: held } = await lifecycle().digests.list(bucket!);
    expect(held).toHaveLength(1);
    let finished = false;
    const state: NotificationState = {
      ...lifecycle().state,
      read: async (key) => {
        if (!finished) {
          finished = true;
          await rest();
          await lifecycle().state.commit(held[0]!.change);
        }
        return lifecycle().state.read(key);
      },
    };
    expect(await flushDigest(bucket!, { ...lifecycle(), state }, utcNow())).toMatchObject({ items: 0, partial: 0, waiting: 1 });

    expect(await flushEachWindow()).toEqual({ items: 2, abandoned: 0, waiting: 0 });
    await n.drain();
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 0 });
    expect(data().mail.at(-1)!.body).toContain('Listed mid-hold app');
    expect(data().mail.at(-1)!.body).not.toContain('Part of an update');
  });

  it('sends, late and with a warning, the part of a decision whose publisher never came back: a day after its window', async () => {
    const before = captured();
    const events = escalating('Never retried app', 'o-never-retried');
    // Two days ago a publish that nobody retries (a sign-in over HTTP, say) held part of a decision, then failed
    // before its bucket had a flush ticket.
    await expect(holdingOnly(1, () => utcNow().minus({ days: 2 })).publish(events)).rejects.toThrow('a later transaction failed');
    const [bucket] = await windowBuckets();

    const logs: string[] = [];
    const context = new InvocationContext({
      functionName: reminderTimer.name,
      logHandler: (level, ...args) => logs.push(`${level}: ${args.join(' ')}`),
    });
    if (reminderTimer.kind !== 'timer') throw new Error('not a timer');
    await reminderTimer.handler(timerArgument(null), context, n.runtime);
    await n.drain();

    const label = `digest ${bucket}, still held past its window (a lost flush ticket, or a part left for its publisher's retry)`;
    expect(logs.filter((line) => line.includes('digest '))).toEqual([
      `warning: ${label}: 1 item(s) in 2 outbox message(s)`,
      `warning: ${label}: 1 item(s) sent of decision(s) held only in part, marked so in the digest: their publisher had not finished the decision a day after holding them; the rest of it is not sent: the route hears an open finding's current state with its next reminder or change, a closed one's only if it reopens`,
    ]);
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 0 });
    // The person reading it is told, not only the log: the part lacks the decision's last (higher) item.
    expect(data().mail.at(-1)!.body).toContain('Part of an update Vigil could not store whole');
    expect(data().teams.at(-1)!.body).toContain('Part of an update Vigil could not store whole');
    expect(await windowBuckets()).toEqual([]);
  });

  // Where the first flush stops: after taking the part into a batch (the next rebuilds the batch's messages from the
  // bucket), or after committing the part's decision and before the batch (the next finds it committed, unassigned).
  const stopped = () => {
    throw new Error('the instance stopped');
  };
  it.each([
    { where: 'took it stopped before saving its messages', stops: () => ({ outbox: { ...lifecycle().outbox, save: stopped } }), next: 0 },
    {
      where: 'committed it stopped before taking it into a batch',
      stops: () => ({ digests: { ...lifecycle().digests, assign: stopped } }),
      next: 1,
    },
  ])('says a part is a part also when the flush that $where, and the next one sent it', async ({ where, stops, next }) => {
    const before = captured();
    const events = escalating(`Stopped flush app: ${where}`, `o-stopped-${next}`);
    await expect(holdingOnly(1, () => utcNow().minus({ days: 2 })).publish(events)).rejects.toThrow('a later transaction failed');
    const [bucket] = await windowBuckets();
    await expect(flushDigest(bucket!, { ...lifecycle(), ...stops() }, utcNow())).rejects.toThrow('the instance stopped');
    // Sent by the next flush: from the batch (no item of its own), or as a part it finds (counted so).
    expect(await flushDigest(bucket!, lifecycle(), utcNow())).toMatchObject({ kind: 'flushed', items: next, partial: next, messages: 2 });
    await n.drain();
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 0 });
    expect(data().mail.at(-1)!.body).toContain('Part of an update Vigil could not store whole');
    expect(data().teams.at(-1)!.body).toContain('Part of an update Vigil could not store whole');
    expect(await windowBuckets()).toEqual([]);
  });

  it('sends at once, and says so, a part whose time of holding cannot be read: a part is never left for ever', async () => {
    const before = captured();
    const events = escalating('Undated part app', 'o-undated-part');
    // A run's own bucket: its name holds no time, so only the time of the hold says how long the part has waited.
    await expect(holdingOnly(1, undefined, 0).publish(events)).rejects.toThrow('a later transaction failed');
    const [bucket] = await windowBuckets();
    const digests: DigestStore = {
      ...lifecycle().digests,
      list: async (b) => {
        const listed = await lifecycle().digests.list(b);
        return { ...listed, items: listed.items.map((i) => ({ ...i, heldAt: 'not a time' })) };
      },
    };
    const result = await flushDigest(bucket!, { ...lifecycle(), digests }, utcNow());
    expect(result).toMatchObject({ kind: 'flushed', items: 1, partial: 1, undated: 1 });
    expect(partialWarning(result as Flushed)).toMatch(
      /^1 item\(s\) sent of decision\(s\) held only in part, marked so in the digest \(1 of them at once: the time they were held could not be read\): /,
    );
    await n.drain();
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 0 });
    expect(await windowBuckets()).toEqual([]);
  });

  it('flushes the other overdue buckets when one fails, and reports that one', async () => {
    const before = captured();
    // Two publishes two and three days ago whose flush tickets were lost: two overdue window buckets.
    const lost = { flushLater: async () => undefined };
    for (const days of [2, 3])
      await pipelineWith({ clock: () => utcNow().minus({ days }), tickets: lost }).publish([
        expiring({ app: `Overdue app ${days}`, appObjectId: `o-overdue-${days}`, now: utcNow() }),
      ]);
    const [broken, working] = await windowBuckets();
    const digests: DigestStore = {
      ...lifecycle().digests,
      list: async (b) => {
        if (b === broken) throw new Error('storage refused');
        return lifecycle().digests.list(b);
      },
    };
    const logs: string[] = [];
    const context = new InvocationContext({
      functionName: reminderTimer.name,
      logHandler: (level, ...args) => logs.push(`${level}: ${args.join(' ')}`),
    });
    const runtime = { ...n.runtime, notifications: { ...n.runtime.notifications, lifecycle: { ...lifecycle(), digests } } };
    if (reminderTimer.kind !== 'timer') throw new Error('not a timer');
    // The run fails (the host records it) once the other bucket and the outbox had their turn.
    await expect(reminderTimer.handler(timerArgument(null), context, runtime)).rejects.toThrow(
      `reminderTimer: 1 digest bucket(s) could not be flushed: ${broken}`,
    );
    const label = (b: string) => `digest ${b}, still held past its window (a lost flush ticket, or a part left for its publisher's retry)`;
    expect(logs.filter((line) => line.includes('digest '))).toEqual([
      `error: ${label(broken!)}: could not be flushed (storage refused); the next run tries again`,
      `warning: ${label(working!)}: 1 item(s) in 2 outbox message(s)`,
    ]);
    await n.drain();
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 0 });
    // The next sweep sends the one that failed.
    expect(await sweepDigests(lifecycle(), utcNow())).toEqual([
      { bucket: broken, result: expect.objectContaining({ kind: 'flushed', items: 1 }) },
    ]);
    await n.drain();
    expect(since(before)).toEqual({ mail: 2, teams: 2, webhooks: 0 });
    expect(await windowBuckets()).toEqual([]);
  });

  // The first publisher commits its decision and marks its items committed, or stops before marking them.
  const marking = [
    { publisher: 'marked them', tag: 'marked', digests: () => lifecycle().digests },
    {
      publisher: 'stopped before marking its items',
      tag: 'unmarked',
      digests: (): DigestStore => ({ ...lifecycle().digests, markCommitted: async () => undefined }),
    },
  ];
  it.each(marking)(
    'sends a committed decision that a later one in its window overtook, when its publisher $publisher',
    async ({ tag, digests }) => {
      const before = captured();
      const app = { app: `Creatio overtaken ${tag}`, appObjectId: `o-overtaken-${tag}`, now: utcNow() };
      // Both decisions held at one instant, so in one window whenever the test runs.
      const clock = () => app.now;
      await pipelineWith({ digests: digests(), clock }).publish([expiring({ ...app, daysLeft: 10, severity: 'medium' })]);
      // A second run, a second later, finds the credential worse and decides on top of the first decision, in the same window.
      await pipelineWith({ clock }).publish([expiring({ ...app, now: app.now.plus({ seconds: 1 }), daysLeft: 3, severity: 'high' })]);

      // Each decision has an item for each of the finding's two routes (ops, and the webhook's).
      expect(await flushEachWindow()).toEqual({ items: 4, abandoned: 0, waiting: 0 });
      await n.drain();
      // Both events reach the webhook (one message per event), and the digest shows the finding once, as the later one left it.
      expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 2 });
      expect(JSON.parse(data().mail.at(-1)!.body).message.subject).toMatch(/^\[Vigil\] 1 needs action \(1 high\) — /);
    },
  );

  it('sends a committed decision that a snooze end overtook, though its publisher stopped before marking its items', async () => {
    const before = captured();
    const event = expiring({ app: 'Snoozed overtaken app', appObjectId: 'o-snoozed-overtaken', now: utcNow().minus({ minutes: 1 }) });
    // The publish and the snooze end at one instant, so in one window whenever the test runs.
    const now = utcNow();
    const clock = () => now;
    const unmarked: DigestStore = { ...lifecycle().digests, markCommitted: async () => undefined };
    await pipelineWith({ digests: unmarked, clock }).publish([event]);
    // A person snoozes the finding and lifts the snooze at once: its end is announced on top of the first decision.
    const id = findingOf(event).id;
    const at = toIsoUtc(now);
    await lifecycle().state.setSnooze(id, { until: toIsoUtc(now.plus({ days: 1 })), reason: 'r', by: 'ana@contoso.com', at });
    expect(await announceSnoozeEnd(id, { ...lifecycle(), clock }, now, true)).toEqual({ kind: 'announced', routes: 1 });

    expect(await flushEachWindow()).toEqual({ items: 2, abandoned: 0, waiting: 0 });
    await n.drain();
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 0 });
  });

  it.each(marking)(
    'abandons a committed decision overtaken from a later window, rather than send it after the newer one, when its publisher $publisher',
    async ({ tag, digests }) => {
      const before = captured();
      const app = { app: `Late overtaken app ${tag}`, appObjectId: `o-late-overtaken-${tag}` };
      // The first publisher, a window ago, commits its decision; its flush ticket is lost, so its flush runs late.
      const earlier = () => utcNow().minus({ minutes: 10 });
      await pipelineWith({ digests: digests(), clock: earlier, tickets: { flushLater: async () => undefined } }).publish([
        expiring({ ...app, now: earlier(), daysLeft: 10, severity: 'medium' }),
      ]);
      // A later run finds the credential worse and decides on top of it, in the current window, which is flushed first.
      await n.runtime.events.publish([expiring({ ...app, now: utcNow(), daysLeft: 3, severity: 'high' })]);
      const [first, second] = (await windowBuckets()).sort();
      expect(await flushDigest(second!, lifecycle(), utcNow())).toMatchObject({ items: 1, abandoned: 0 });
      // The first window's flush, late, finds its decision overtaken by one the route already heard.
      expect(await flushDigest(first!, lifecycle(), utcNow())).toMatchObject({ items: 0, abandoned: 1 });
      await n.drain();
      expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 0 });
      expect(data().mail.at(-1)!.body).toContain(app.app);
      expect(JSON.parse(data().mail.at(-1)!.body).message.subject).toMatch(/^\[Vigil\] 1 needs action \(1 high\) — /);
    },
  );

  it('shows a finding as the newer of two decisions made at one event time left it, whatever their ids', async () => {
    const before = captured();
    const app = { app: 'Same time app', appObjectId: 'o-same-time', now: utcNow() };
    const clock = () => app.now;
    // The newer decision's refs sort first: only its route state's `overtook` says it came second.
    await pipelineWith({ clock, newId: () => `zz-${randomUUID()}` }).publish([expiring({ ...app, daysLeft: 10, severity: 'medium' })]);
    await pipelineWith({ clock, newId: () => `aa-${randomUUID()}` }).publish([expiring({ ...app, daysLeft: 3, severity: 'high' })]);
    expect(await flushEachWindow()).toEqual({ items: 2, abandoned: 0, waiting: 0 });
    await n.drain();
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 0 });
    expect(JSON.parse(data().mail.at(-1)!.body).message.subject).toMatch(/^\[Vigil\] 1 needs action \(1 high\) — /);
  });

  it('reads an item held by an older version, which has no time of holding, as held when it was decided', async () => {
    const before = captured();
    const events = escalating('Older row app', 'o-older-row');
    await expect(holdingOnly(1, undefined, 0).publish(events)).rejects.toThrow('a later transaction failed');
    const [bucket] = await windowBuckets();
    const table = TableClient.fromConnectionString(n.stack.azurite.connectionString, tableNames.digests, { allowInsecureConnection: true });
    for await (const row of table.listEntities({ queryOptions: { filter: `PartitionKey eq '${bucket}'` } })) {
      if (!row.rowKey?.startsWith('item|')) continue;
      const { heldAt, etag: _etag, timestamp: _timestamp, ...older } = row;
      expect(heldAt).toEqual(expect.any(String));
      await table.updateEntity({ ...older, partitionKey: bucket!, rowKey: row.rowKey }, 'Replace');
    }
    const [held] = (await lifecycle().digests.list(bucket!)).items;
    expect(held!.heldAt).toBe(held!.item.at);
    // The publisher retries: its decision goes out whole, in one digest, and the part it left is abandoned.
    await pipelineWith({ windowSeconds: 0 }).publish(events);
    expect(await flushEachWindow()).toEqual({ items: 2, abandoned: 1, waiting: 0 });
    await n.drain();
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 0 });
    expect(data().mail.at(-1)!.body).not.toContain('Part of an update');
    expect(await windowBuckets()).toEqual([]);
  });

  // Last: the reminder sweep above would remind of this finding, whose events are two days old.
  it("leaves a part held just now for its publisher's retry though its events are two days old (a backlog)", async () => {
    const before = captured();
    const events = escalating('Backlog app', 'o-backlog', utcNow().minus({ days: 2 }));
    // Without a window the part goes into a run's own bucket, whose name holds no time: the reminder sweep
    // flushes every such bucket at once, so only the time of the hold can tell how long the part has waited.
    await expect(holdingOnly(1, undefined, 0).publish(events)).rejects.toThrow('a later transaction failed');
    const [bucket] = (await lifecycle().digests.listBuckets()).filter((b) => b.startsWith('run-'));

    expect(await flushDigest(bucket!, lifecycle(), utcNow())).toMatchObject({ items: 0, waiting: 1, partial: 0 });
    await n.drain();
    expect(since(before)).toEqual({ mail: 0, teams: 0, webhooks: 0 });

    // The publisher's retry decides the whole again; the part held first is abandoned, unsent.
    await pipelineWith({ windowSeconds: 0 }).publish(events);
    await flushWindowsNow();
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 0 });
    expect(await windowBuckets()).toEqual([]);
  });
});
