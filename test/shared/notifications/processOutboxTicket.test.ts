import type { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { VigilEvent } from '../../../shared/events/vigilEvent.js';
import type { ChannelOutcome, MailOwners } from '../../../shared/notifications/ChannelOutcome.js';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import type { NotificationItem } from '../../../shared/notifications/NotificationItem.js';
import type { OutboxMessage, OutboxTicket } from '../../../shared/notifications/OutboxMessage.js';
import type { DeliveryLogEntry, SendTurn } from '../../../shared/notifications/OutboxPorts.js';
import { processOutboxTicket, type DeliveryDeps } from '../../../shared/notifications/processOutboxTicket.js';
import { deliveryCountsOf } from '../../../shared/notifications/TicketResult.js';
import { memoryNotificationState } from './memoryNotificationState.js';
import { memoryOutbox } from './memoryOutbox.js';
import { expiring, NOW, rotated, routes, TENANT, tokenFailed } from './notificationFixtures.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Creatio's apps go to the creatio route only, so the default route (ops) has not heard of them. */
const creatioOnly = () => routes({ rules: [{ name: 'creatio', match: { name: 'creatio*' }, routes: ['creatio'], final: true }] });

/** In-memory ports around one webhook message; each channel answers with the given outcomes in turn. */
function harness(
  options: {
    webhook?: ChannelOutcome[];
    teams?: ChannelOutcome[];
    items?: NotificationItem[];
    config?: DeliveryDeps['config'];
    /** What the mail and PagerDuty budgets answer, in turn (then: go); an Error is thrown. */
    turns?: Array<SendTurn | Error>;
    /** What the owner lookups of a mail give (by default: no owners, none unread). */
    owners?: MailOwners;
  } = {},
) {
  const event = expiring();
  const message: OutboxMessage = {
    id: 'm-1',
    route: 'creatio',
    channel: { kind: 'webhook', name: 'creatio' },
    createdAt: NOW.toISO()!,
    held: false,
    items: options.items ?? [{ findingId: findingOf(event).id, reason: 'new', event }],
  };
  const outbox = memoryOutbox();
  void outbox.store.save([message]);
  const webhook = options.webhook ?? [];
  const teams = options.teams ?? [];
  const enqueued: Array<{ ticket: OutboxTicket; delayMs: number | undefined }> = [];
  const poisoned: unknown[] = [];
  const logged: DeliveryLogEntry[] = [];
  const audited: VigilEvent[] = [];
  const published: VigilEvent[] = [];
  const state = memoryNotificationState();
  const disabled = new Map<string, string>();
  const reported = new Map<string, number>();
  const posts: string[] = [];
  const turns = options.turns ?? [];
  const released: string[] = [];
  let ids = 0;
  const budget = {
    take: async (id: string): Promise<SendTurn> => {
      const turn = turns.shift() ?? { kind: 'go', release: () => void released.push(id) };
      if (turn instanceof Error) throw turn;
      return turn;
    },
  };
  const budgetsAsked: string[] = [];
  const deps: DeliveryDeps = {
    config: options.config ?? creatioOnly(),
    channels: {
      mail: {
        sender: { send: async (mail) => (posts.push(`mail ${mail.subject}`), { kind: 'delivered' }) },
        budget,
      },
      teams: { post: async (channel) => (posts.push(`teams:${channel.name}`), teams.shift() ?? { kind: 'delivered' }) },
      slack: { post: async (channel) => (posts.push(`slack:${channel.name}`), { kind: 'delivered' }) },
      pagerDuty: {
        sender: {
          send: async (service, event) => (posts.push(`pagerduty:${service.name} ${String(event.event_action)}`), { kind: 'delivered' }),
        },
        budget: (service) => (budgetsAsked.push(service), budget),
      },
      webhooks: {
        post: async (endpoint, delivery) => (
          posts.push(`webhook:${endpoint.name} ${delivery.id}`),
          webhook.shift() ?? { kind: 'delivered' }
        ),
      },
      owners: { mailOwnersOf: async () => options.owners ?? { addresses: [], unread: undefined } },
    },
    mailEnabled: true,
    outbox: outbox.store,
    queue: {
      enqueue: async (ticket, delayMs) => void enqueued.push({ ticket, delayMs }),
      poison: async (ticket) => void poisoned.push(ticket),
    },
    log: { record: async (e) => void logged.push(e), list: async () => logged, page: async () => ({ entries: logged }) },
    endpoints: { isDisabled: async (label, fp) => disabled.get(label) === fp, disable: async (label, fp) => void disabled.set(label, fp) },
    ledger: {
      firstSince: async (key, now, every) => {
        const last = reported.get(key);
        if (last !== undefined && last > now.toMillis() - every) return false;
        reported.set(key, now.toMillis());
        return true;
      },
    },
    eventLog: { publish: async (events) => void audited.push(...events) },
    state: state.state,
    findings: { publish: async (events) => void published.push(...events) },
    render: { portalBase: 'https://portal.azure.com', timeZone: 'UTC' },
    policy: {
      backoff: { baseMs: 30_000, capMs: HOUR },
      deadlineMs: 24 * HOUR,
      infoDeadlineMs: 6 * HOUR,
      fallbackAfterMs: 30 * MINUTE,
      claimMs: 3 * MINUTE,
    },
    reportEveryMs: 24 * HOUR,
    homeTenantId: TENANT,
    newId: () => `fb-${++ids}`,
    random: () => 1,
  };
  /** Runs the tickets the handler queued, in order, each at the time it becomes visible. */
  const runQueued = async (until: DateTime) => {
    const results = [];
    for (;;) {
      const next = enqueued.shift();
      if (!next) return results;
      const at = NOW.plus(next.delayMs ?? 0);
      if (at > until) return results;
      results.push(await processOutboxTicket(next.ticket, deps, at));
    }
  };
  return { deps, outbox, enqueued, poisoned, logged, audited, published, state, posts, released, budgetsAsked, runQueued, message };
}

const failing = (reason = 'HTTP 503'): ChannelOutcome => ({ kind: 'failed', reason, permanent: false });
const ticket = (attempt = 1): OutboxTicket => ({ id: 'm-1', attempt });

describe('processOutboxTicket: retries until the deadline', () => {
  it('retries with exponential backoff, never past the deadline, then parks it and counts it', async () => {
    const h = harness({ webhook: Array.from({ length: 60 }, () => failing()) });
    const delays: number[] = [];
    let now = NOW;
    let t = ticket();
    for (;;) {
      const result = await processOutboxTicket(t, h.deps, now);
      if (result.kind !== 'retrying') {
        expect(result).toMatchObject({ kind: 'poisoned', detail: `HTTP 503 (after ${t.attempt} attempt(s))` });
        expect(deliveryCountsOf(result)).toEqual([{ channel: 'webhook', outcome: 'poisoned' }]);
        break;
      }
      delays.push(result.retryInMs!);
      const next = h.enqueued.splice(
        h.enqueued.findIndex((e) => e.ticket.id === 'm-1'),
        1,
      )[0]!;
      now = now.plus(next.delayMs!);
      t = next.ticket;
    }
    expect(delays.slice(0, 4)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(Math.max(...delays)).toBe(HOUR);
    // The last wait ends exactly at the deadline, and the attempt there gives up.
    expect(now.toMillis() - NOW.toMillis()).toBe(24 * HOUR);
    expect(h.poisoned).toEqual([t]);
    expect(h.outbox.rows.get('m-1')?.record).toMatchObject({ status: 'parked', nextAttempt: t.attempt, reason: 'HTTP 503' });
    expect(h.posts.filter((p) => p.startsWith('webhook:creatio msg_m-1'))).toHaveLength(t.attempt);
  });

  it('waits exactly the Retry-After it was given, but not beyond the deadline', async () => {
    const h = harness({
      webhook: [
        { kind: 'retryAfter', ms: 2_128, reason: 'HTTP 429, Retry-After 2.128' },
        { kind: 'retryAfter', ms: HOUR, reason: 'HTTP 429' },
      ],
    });
    expect(await processOutboxTicket(ticket(), h.deps, NOW)).toMatchObject({ kind: 'retrying', retryInMs: 2_128 });
    expect(await processOutboxTicket(ticket(2), h.deps, NOW.plus({ hours: 23, minutes: 50 }))).toMatchObject({
      kind: 'retrying',
      retryInMs: 10 * MINUTE,
    });
  });

  it('gives a purely informational notice (a recovery) the shorter deadline', async () => {
    const event = rotated();
    const h = harness({ webhook: [failing(), failing()], items: [{ findingId: findingOf(event).id, reason: 'recovered', event }] });
    expect(await processOutboxTicket(ticket(), h.deps, NOW.plus({ hours: 5 }))).toMatchObject({ kind: 'retrying' });
    expect(await processOutboxTicket(ticket(2), h.deps, NOW.plus({ hours: 6 }))).toMatchObject({ kind: 'poisoned' });
  });

  it('gives a recovery sent as part of an update the full deadline: it is shown as needing a check', async () => {
    const event = rotated();
    const item = { findingId: findingOf(event).id, reason: 'recovered' as const, event, heldInPart: true as const };
    const h = harness({ webhook: [failing(), failing()], items: [item] });
    expect(await processOutboxTicket(ticket(), h.deps, NOW.plus({ hours: 5 }))).toMatchObject({ kind: 'retrying' });
    expect(await processOutboxTicket(ticket(2), h.deps, NOW.plus({ hours: 6 }))).toMatchObject({ kind: 'retrying' });
  });
});

describe('processOutboxTicket: fallback', () => {
  it('reports a channel that keeps failing on the default route, with its items, once, and keeps trying', async () => {
    const h = harness({ webhook: Array.from({ length: 10 }, () => failing()) });
    let result = await processOutboxTicket(ticket(), h.deps, NOW);
    expect(result).toMatchObject({ kind: 'retrying', fellBackTo: [] });
    result = await processOutboxTicket(ticket(2), h.deps, NOW.plus({ minutes: 29 }));
    expect(result).toMatchObject({ kind: 'retrying', fellBackTo: [] });
    result = await processOutboxTicket(ticket(3), h.deps, NOW.plus({ minutes: 31 }));
    expect(result).toMatchObject({ kind: 'retrying', fellBackTo: ['mail', 'teams:ops'] });
    expect(deliveryCountsOf(result)).toEqual([
      { channel: 'webhook', outcome: 'retrying' },
      { channel: 'webhook', outcome: 'fallback' },
    ]);
    // Two stand-in messages on ops, queued like any other: the report first, then what creatio did not get.
    const standIns = h.enqueued.filter((e) => e.ticket.id.startsWith('fb-'));
    expect(standIns).toHaveLength(2);
    const stored = await h.outbox.store.load(standIns[0]!.ticket.id);
    expect(stored).toMatchObject({ route: 'ops', fallbackFor: 'webhook:creatio on route creatio', held: false });
    expect(stored!.items.map((i) => i.event.type)).toEqual(['delivery.failed', 'credential.expiring']);
    expect(stored!.items[0]!.event).toMatchObject({
      summary: expect.stringContaining(
        'has not been able to deliver 1 notification(s) (credential.expiring) to webhook:creatio on route creatio (3 attempt(s)) and keeps trying: HTTP 503. They were sent to mail, teams:ops instead.',
      ),
      dedupeKey: 'delivery.failed|creatio|webhook:creatio|failing',
    });
    expect(h.audited.map((e) => e.type)).toEqual(['delivery.failed']);
    expect(h.logged.map((e) => e.outcome)).toEqual(['retrying', 'retrying', 'retrying', 'fallback']);

    // Later failures of the same message do not fall back again.
    result = await processOutboxTicket(ticket(4), h.deps, NOW.plus({ minutes: 40 }));
    expect(result).toMatchObject({ kind: 'retrying', fellBackTo: [] });
    expect(h.enqueued.filter((e) => e.ticket.id.startsWith('fb-'))).toHaveLength(2);
  });

  it('sends each stand-in once when the fallback runs again because storage lost the record that it ran', async () => {
    const h = harness({ webhook: Array.from({ length: 10 }, () => failing()) });
    await processOutboxTicket(ticket(), h.deps, NOW);
    h.outbox.failing.add('settle');
    expect(await processOutboxTicket(ticket(2), h.deps, NOW.plus({ minutes: 31 }))).toMatchObject({ fellBackTo: ['mail', 'teams:ops'] });
    h.outbox.failing.delete('settle');
    const standIns = () => h.enqueued.filter((e) => e.ticket.id.startsWith('fb-')).map((e) => e.ticket);
    // The stand-ins are delivered before the failed message's next attempt comes round.
    for (const t of standIns()) await processOutboxTicket(t, h.deps, NOW.plus({ minutes: 32 }));
    const toPeople = () => h.posts.filter((p) => p.startsWith('mail') || p.startsWith('teams'));
    expect(toPeople()).toHaveLength(2);
    // The next attempt does not know it fell back (that write failed), so it falls back again: nothing new is sent.
    expect(h.outbox.rows.get('m-1')?.record).not.toHaveProperty('fellBackAt');
    await processOutboxTicket(ticket(3), h.deps, NOW.plus({ minutes: 40 }));
    for (const t of standIns()) await processOutboxTicket(t, h.deps, NOW.plus({ minutes: 41 }));
    expect(toPeople()).toHaveLength(2);
  });

  it('keeps a delivered stand-in when its ticket comes again, so a fallback that runs again still sends nothing new', async () => {
    const h = harness({ webhook: Array.from({ length: 10 }, () => failing()) });
    await processOutboxTicket(ticket(), h.deps, NOW);
    h.outbox.failing.add('settle');
    await processOutboxTicket(ticket(2), h.deps, NOW.plus({ minutes: 31 }));
    h.outbox.failing.delete('settle');
    const standIns = () => h.enqueued.filter((e) => e.ticket.id.startsWith('fb-')).map((e) => e.ticket);
    for (const t of standIns()) await processOutboxTicket(t, h.deps, NOW.plus({ minutes: 32 }));
    // The host crashed after each delivery was recorded, before the ticket completed: it hands each ticket over again.
    for (const t of standIns())
      expect(await processOutboxTicket(t, h.deps, NOW.plus({ minutes: 33 }))).toMatchObject({
        kind: 'alreadyHandled',
        detail: expect.stringMatching(/^delivered at .*; kept until the outbox sweep$/),
      });
    for (const t of standIns()) expect(h.outbox.rows.get(t.id)?.record).toMatchObject({ status: 'delivered' });
    const toPeople = () => h.posts.filter((p) => p.startsWith('mail') || p.startsWith('teams'));
    await processOutboxTicket(ticket(3), h.deps, NOW.plus({ minutes: 40 }));
    for (const t of standIns()) await processOutboxTicket(t, h.deps, NOW.plus({ minutes: 41 }));
    expect(toPeople()).toHaveLength(2);
  });

  it('opens a failing channel as a finding on the default route, and closes it with delivery.recovered when it delivers again', async () => {
    const h = harness({ webhook: [failing(), failing(), failing()] });
    await processOutboxTicket(ticket(), h.deps, NOW);
    await processOutboxTicket(ticket(2), h.deps, NOW.plus({ minutes: 31 }));
    const report = h.audited.find((e) => e.type === 'delivery.failed')!;
    const id = findingOf(report).id;
    // Open on ops (where it was reported), with its record: reminders repeat it and the snooze API accepts it.
    expect((await h.state.state.listOpen()).map((o) => [o.findingId, o.route, o.state.value.since])).toEqual([
      [id, 'ops', NOW.plus({ minutes: 31 }).toISO()],
    ]);
    expect(await h.state.state.getFinding(id)).toMatchObject({ type: 'delivery.failed', event: { id: report.id } });
    expect(h.published).toEqual([]);

    await processOutboxTicket(ticket(3), h.deps, NOW.plus({ minutes: 45 }));
    expect(h.published).toEqual([]);
    expect(await processOutboxTicket(ticket(4), h.deps, NOW.plus({ hours: 2 }))).toMatchObject({ kind: 'delivered', warnings: [] });
    expect(h.published).toEqual([
      expect.objectContaining({
        type: 'delivery.recovered',
        severity: 'info',
        data: { route: 'creatio', channel: 'webhook:creatio', failedSince: NOW.plus({ minutes: 31 }).toISO() },
      }),
    ]);
    expect(findingOf(h.published[0]!)).toMatchObject({ role: 'closes', id });
  });

  it('publishes nothing after a delivery when the channel has no open failure', async () => {
    const h = harness();
    expect(await processOutboxTicket(ticket(), h.deps, NOW)).toMatchObject({ kind: 'delivered' });
    expect(h.published).toEqual([]);
  });

  it('falls back at once on 410 Gone, disables the endpoint and drops what follows for it', async () => {
    const h = harness({ webhook: [{ kind: 'gone', reason: 'HTTP 410 Gone' }] });
    const result = await processOutboxTicket(ticket(), h.deps, NOW);
    expect(result).toMatchObject({ kind: 'poisoned', detail: 'HTTP 410 Gone; endpoint disabled', fellBackTo: ['mail', 'teams:ops'] });
    expect(h.audited[0]).toMatchObject({ data: { disabled: true }, dedupeKey: 'delivery.failed|creatio|webhook:creatio|gone' });
    expect(h.logged.map((e) => e.outcome)).toEqual(['fallback', 'poisoned']);

    await h.outbox.store.save([{ ...h.message, id: 'm-2' }]);
    expect(await processOutboxTicket({ id: 'm-2', attempt: 1 }, h.deps, NOW)).toMatchObject({
      kind: 'dropped',
      fellBackTo: ['mail', 'teams:ops'],
    });
    expect(h.posts.filter((p) => p.startsWith('webhook'))).toHaveLength(1);
  });

  it('does not give the default route items its rules gave it already, but still reports the channel, once a day', async () => {
    const h = harness({
      webhook: [
        { kind: 'failed', reason: 'HTTP 401', permanent: true },
        { kind: 'failed', reason: 'HTTP 401', permanent: true },
      ],
      config: routes(),
    });
    expect(await processOutboxTicket(ticket(), h.deps, NOW)).toMatchObject({ kind: 'poisoned', fellBackTo: ['mail', 'teams:ops'] });
    const report = await h.outbox.store.load(h.enqueued[0]!.ticket.id);
    expect(report!.items.map((i) => i.event.type)).toEqual(['delivery.failed']);

    await h.outbox.store.save([{ ...h.message, id: 'm-2' }]);
    expect(await processOutboxTicket({ id: 'm-2', attempt: 1 }, h.deps, NOW.plus({ hours: 1 }))).toMatchObject({
      kind: 'poisoned',
      fellBackTo: [],
    });
    expect(h.enqueued.filter((e) => e.ticket.id.startsWith('fb-'))).toHaveLength(2);
  });

  it('never reports a failing channel on itself, and a stand-in never falls back again', async () => {
    const h = harness({ teams: Array.from({ length: 5 }, () => failing('HTTP 502')), config: creatioOnly() });
    await h.outbox.store.save([{ ...h.message, id: 'm-ops', route: 'ops', channel: { kind: 'teams', name: 'ops' } }]);
    const result = await processOutboxTicket({ id: 'm-ops', attempt: 1 }, h.deps, NOW.plus({ hours: 25 }));
    expect(result).toMatchObject({ kind: 'poisoned', fellBackTo: ['mail'] });
    const report = h.enqueued.find((e) => e.ticket.id.startsWith('fb-'))!;
    expect(await h.outbox.store.load(report.ticket.id)).toMatchObject({ channel: { kind: 'mail' }, fallbackFor: 'teams:ops on route ops' });

    await h.outbox.store.save([
      {
        ...h.message,
        id: 'm-standin',
        route: 'ops',
        channel: { kind: 'teams', name: 'ops' },
        fallbackFor: 'webhook:creatio on route creatio',
      },
    ]);
    expect(await processOutboxTicket({ id: 'm-standin', attempt: 1 }, h.deps, NOW.plus({ hours: 25 }))).toMatchObject({
      kind: 'poisoned',
      fellBackTo: [],
    });
    expect(h.enqueued.filter((e) => e.ticket.id.startsWith('fb-'))).toHaveLength(1);
  });
});

describe('processOutboxTicket: exactly once per channel', () => {
  it('records the delivery first; failing cleanup is a warning, and a redelivered ticket only cleans up', async () => {
    const h = harness();
    h.outbox.failing.add('remove');
    const first = await processOutboxTicket(ticket(), h.deps, NOW);
    expect(first).toMatchObject({ kind: 'delivered', warnings: ['could not remove the outbox message: HTTP 503 ServerBusy'] });
    expect(h.outbox.rows.get('m-1')?.record).toMatchObject({ status: 'delivered', attempt: 1 });

    h.outbox.failing.clear();
    expect(await processOutboxTicket(ticket(), h.deps, NOW.plus({ minutes: 1 }))).toMatchObject({
      kind: 'alreadyHandled',
      detail: expect.stringMatching(/^delivered at .*; cleaned up$/),
    });
    expect(h.outbox.rows.has('m-1')).toBe(false);
    expect(await processOutboxTicket(ticket(), h.deps, NOW.plus({ minutes: 2 }))).toMatchObject({ kind: 'alreadyHandled' });
    expect(h.posts).toEqual(['webhook:creatio msg_m-1']);
  });

  it('removes a delivered message, or a dropped one, by the claim that read it, so storage need not read it again', async () => {
    const delivered = harness();
    expect(await processOutboxTicket(ticket(), delivered.deps, NOW)).toMatchObject({ kind: 'delivered' });
    // The creatio route is no longer configured: its message is dropped.
    const dropped = harness({ config: routes({ routes: { ops: { mail: { to: ['ops@contoso.com'] } } }, rules: [] }) });
    expect(await processOutboxTicket(ticket(), dropped.deps, NOW)).toMatchObject({ kind: 'dropped' });
    expect([...delivered.outbox.removals, ...dropped.outbox.removals]).toEqual(['m-1 by its claim', 'm-1 by its claim']);
  });

  it('sends once when two copies of a ticket arrive at the same moment, and looks again when the claim lapses', async () => {
    const h = harness();
    const [a, b] = await Promise.all([processOutboxTicket(ticket(), h.deps, NOW), processOutboxTicket(ticket(), h.deps, NOW)]);
    expect([a.kind, b.kind].sort()).toEqual(['alreadyHandled', 'delivered']);
    expect(h.posts).toHaveLength(1);
    // The copy that found the message claimed asked to be shown again after the claim's three minutes.
    expect(h.enqueued).toEqual([{ ticket: ticket(), delayMs: 3 * MINUTE + 1000 }]);
    expect(await h.runQueued(NOW.plus({ hours: 1 }))).toEqual([expect.objectContaining({ kind: 'alreadyHandled' })]);
    expect(h.posts).toHaveLength(1);
  });

  it('ignores an older ticket once a later one carries the message', async () => {
    const h = harness({ webhook: [failing()] });
    await processOutboxTicket(ticket(), h.deps, NOW);
    expect(await processOutboxTicket(ticket(), h.deps, NOW.plus({ minutes: 1 }))).toMatchObject({
      kind: 'alreadyHandled',
      detail: 'a later ticket (attempt 2) carries this message',
    });
    expect(h.posts).toHaveLength(1);
  });

  it('tries a parked message once more when its ticket is replayed from the poison queue, and never a delivered one', async () => {
    const h = harness({ webhook: [{ kind: 'failed', reason: 'HTTP 404', permanent: true }] });
    expect(await processOutboxTicket(ticket(), h.deps, NOW)).toMatchObject({ kind: 'poisoned' });
    const replayed = h.poisoned[0] as OutboxTicket;
    expect(await processOutboxTicket(replayed, h.deps, NOW.plus({ days: 2 }))).toMatchObject({ kind: 'delivered' });
    expect(await processOutboxTicket(replayed, h.deps, NOW.plus({ days: 2 }))).toMatchObject({ kind: 'alreadyHandled' });
    expect(h.posts).toHaveLength(2);
  });
});

describe('processOutboxTicket: unreadable rows', () => {
  it('reports a corrupt outbox row on the default route and parks it, once', async () => {
    const h = harness();
    h.outbox.corrupt('m-bad', 'item-000001.item: is not valid JSON');
    const result = await processOutboxTicket({ id: 'm-bad', attempt: 1 }, h.deps, NOW);
    expect(result).toMatchObject({
      kind: 'poisoned',
      channel: 'unknown',
      detail: 'outbox message m-bad is unreadable: item-000001.item: is not valid JSON',
      fellBackTo: ['mail', 'teams:ops'],
    });
    expect(deliveryCountsOf(result)).toEqual([
      { channel: 'unknown', outcome: 'poisoned' },
      { channel: 'unknown', outcome: 'fallback' },
    ]);
    expect(h.poisoned).toEqual([{ id: 'm-bad', attempt: 1 }]);
    expect(h.audited[0]).toMatchObject({
      type: 'delivery.failed',
      severity: 'high',
      data: { route: 'creatio', reason: result.kind === 'poisoned' ? result.detail : '' },
    });

    // Replayed, it is parked again without a second report.
    expect(await processOutboxTicket({ id: 'm-bad', attempt: 1 }, h.deps, NOW)).toMatchObject({ kind: 'poisoned', fellBackTo: [] });
    expect(h.enqueued.filter((e) => e.ticket.id.startsWith('fb-'))).toHaveLength(2);
  });
});

describe("processOutboxTicket: a PagerDuty integration key's budget", () => {
  it("puts an event back on the queue, unsent and not failed, until its integration key's budget has room, then sends it as the same attempt", async () => {
    const reason = 'PagerDuty key pagerduty-oncall-key has sent 120 messages in the last 65 s';
    const config = routes({
      routes: { ops: { mail: { to: ['ops@contoso.com'] }, pagerduty: [{ name: 'oncall', routingKeySecretName: 'pagerduty-oncall-key' }] } },
      rules: [],
    });
    const h = harness({ config, turns: [{ kind: 'wait', ms: 7_000, reason }] });
    await h.outbox.store.save([{ ...h.message, id: 'm-pd', route: 'ops', channel: { kind: 'pagerduty', name: 'oncall' } }]);
    const waited = await processOutboxTicket({ id: 'm-pd', attempt: 1 }, h.deps, NOW);
    expect(waited).toMatchObject({ kind: 'waiting', label: 'pagerduty:oncall', retryInMs: 7_000, detail: reason });
    expect(h.posts).toEqual([]);
    expect(h.logged).toEqual([]);
    expect(h.budgetsAsked).toEqual(['pagerduty-oncall-key']);

    const [sent] = await h.runQueued(NOW.plus({ minutes: 1 }));
    expect(sent).toMatchObject({ kind: 'delivered', label: 'pagerduty:oncall', warnings: [] });
    expect(h.posts).toEqual(['pagerduty:oncall trigger']);
    expect(h.logged).toEqual([expect.objectContaining({ outcome: 'delivered', attempt: 1 })]);
    expect(h.released).toEqual(['m-pd']);
  });
});

describe("processOutboxTicket: the mail sender's budget", () => {
  const mail = (h: ReturnType<typeof harness>, id = 'm-mail') =>
    h.outbox.store.save([{ ...h.message, id, route: 'ops', channel: { kind: 'mail' } }]);

  it('puts a mail back on the queue, unsent and not failed, until the sender has room, then sends it as the same attempt', async () => {
    const reason = 'ops@contoso.com has sent 30 messages in the last 62 s';
    const h = harness({ config: routes(), turns: [{ kind: 'wait', ms: 42_000, reason }] });
    await mail(h);
    const waited = await processOutboxTicket({ id: 'm-mail', attempt: 1 }, h.deps, NOW);
    expect(waited).toMatchObject({ kind: 'waiting', label: 'mail', route: 'ops', retryInMs: 42_000, detail: reason, warnings: [] });
    expect(deliveryCountsOf(waited)).toEqual([]);
    expect(h.posts).toEqual([]);
    expect(h.enqueued).toEqual([{ ticket: { id: 'm-mail', attempt: 1 }, delayMs: 42_000 }]);
    // No attempt was spent: nothing logged, nothing reported, no backoff.
    expect(h.logged).toEqual([]);
    expect(h.audited).toEqual([]);

    const [sent] = await h.runQueued(NOW.plus({ minutes: 1 }));
    expect(sent).toMatchObject({ kind: 'delivered', label: 'mail', warnings: [] });
    expect(h.posts).toHaveLength(1);
    expect(h.logged).toEqual([expect.objectContaining({ outcome: 'delivered', attempt: 1 })]);
    expect(h.released).toEqual(['m-mail']);
  });

  // A route mailing the apps' owners only: a Graph outage left every lookup empty, and the mail failed for good as "the
  // apps have no owners with a mailbox", never retried, the cause misnamed.
  it("tries a mail to the apps' owners alone again when their lookup failed, and fails it for good only when they have none", async () => {
    const ownersOnly = routes({ routes: { ops: { mail: { includeAppOwners: true } } }, rules: [] });
    const unread = "could not read the owners of 1 app, left out of the mail's recipients: application a-1: HTTP 503";
    const h = harness({ config: ownersOnly, owners: { addresses: [], unread } });
    await mail(h);
    const failed = await processOutboxTicket({ id: 'm-mail', attempt: 1 }, h.deps, NOW);
    expect(failed).toMatchObject({ kind: 'retrying', label: 'mail' });
    expect(h.logged).toEqual([
      expect.objectContaining({ outcome: 'retrying', detail: expect.stringContaining(`no recipients yet: ${unread}`) }),
    ]);
    expect(h.enqueued).toHaveLength(1);

    const none = harness({ config: ownersOnly, owners: { addresses: [], unread: undefined } });
    await mail(none);
    expect(await processOutboxTicket({ id: 'm-mail', attempt: 1 }, none.deps, NOW)).not.toMatchObject({ kind: 'retrying' });
    expect(none.enqueued).toEqual([]);
  });

  it('sends the mail with a warning when the budget cannot be kept: a bookkeeping row never holds an alert back', async () => {
    const h = harness({ config: routes(), turns: [new Error('VigilSendBudget answered 503 ServerBusy')] });
    await mail(h);
    const sent = await processOutboxTicket({ id: 'm-mail', attempt: 1 }, h.deps, NOW);
    expect(sent).toMatchObject({ kind: 'delivered' });
    expect(sent.warnings).toEqual([expect.stringContaining('sent without the send budget, which could not be kept')]);
    expect(h.posts).toHaveLength(1);
  });
});

describe('processOutboxTicket: reconnect links', () => {
  const slack = () =>
    routes({
      routes: {
        ops: { mail: { to: ['ops@contoso.com'] }, slack: [{ name: 'ops', urlSecretName: 'slack-ops' }] },
        bare: { webhooks: [{ name: 'bare', url: 'https://bare.example/in', signingSecretName: 'bare-key' }] },
      },
      rules: [],
    });
  const tokens = (count: number) =>
    Array.from({ length: count }, (_, i) => {
      const event = tokenFailed(`connection-${String(i).padStart(3, '0')}`);
      return { findingId: findingOf(event).id, reason: 'new' as const, event };
    });
  function minting(h: ReturnType<typeof harness>) {
    const asked: string[] = [];
    h.deps.reconnect = async (event) => {
      asked.push(event.subject.id);
      return { kind: 'link', url: `https://vigil.example/api/sign-in/${'x'.repeat(43)}`, expiresAt: '2026-12-02T09:30:00.000Z' };
    };
    return asked;
  }

  it('mints none for a message that does not go: its channel is no longer configured', async () => {
    const h = harness({ config: slack(), items: tokens(3) });
    const asked = minting(h);
    await h.outbox.store.save([
      { ...h.message, id: 'm-gone-mail', route: 'bare', channel: { kind: 'mail' } },
      { ...h.message, id: 'm-gone-slack', route: 'bare', channel: { kind: 'slack', name: 'ops' } },
    ]);
    expect(await processOutboxTicket({ id: 'm-gone-mail', attempt: 1 }, h.deps, NOW)).toMatchObject({ kind: 'dropped' });
    expect(await processOutboxTicket({ id: 'm-gone-slack', attempt: 1 }, h.deps, NOW)).toMatchObject({ kind: 'dropped' });
    expect(asked).toEqual([]);
  });

  it("mints a mail's links before taking its send turn, so slow minting never stands between the turn and Exchange", async () => {
    const h = harness({ config: slack(), items: tokens(3), turns: [{ kind: 'wait', ms: 5_000, reason: 'full' }] });
    const steps: string[] = [];
    h.deps.reconnect = async (event) => {
      steps.push(`mint ${event.subject.id}`);
      // A slow mint: a Key Vault read, a Graph read and a table write.
      await new Promise((resolve) => setTimeout(resolve, 20));
      steps.push(`minted ${event.subject.id}`);
      return { kind: 'link', url: `https://vigil.example/api/sign-in/${'x'.repeat(43)}`, expiresAt: '2026-12-02T09:30:00.000Z' };
    };
    const { take } = h.deps.channels.mail!.budget;
    h.deps.channels.mail = {
      sender: { send: async () => (steps.push('send'), { kind: 'delivered' }) },
      budget: { take: async (id) => (steps.push('turn'), take(id)) },
    };
    await h.outbox.store.save([{ ...h.message, id: 'm-wait', route: 'ops', channel: { kind: 'mail' } }]);

    expect(await processOutboxTicket({ id: 'm-wait', attempt: 1 }, h.deps, NOW)).toMatchObject({ kind: 'waiting' });
    expect(steps.at(-1)).toBe('turn');
    expect(steps.filter((s) => s.startsWith('minted'))).toHaveLength(3);
    // The mail that waited mints afresh when it comes back: the first links were never shown to anyone.
    steps.length = 0;
    expect(await h.runQueued(NOW.plus({ minutes: 1 }))).toEqual([expect.objectContaining({ kind: 'delivered' })]);
    expect(steps.slice(-2)).toEqual(['turn', 'send']);
    expect(steps.filter((s) => s.startsWith('minted'))).toHaveLength(3);
  });

  it('mints links only for the items a Slack message shows, not for those summed up as "and N more"', async () => {
    const h = harness({ config: slack(), items: tokens(80) });
    const asked = minting(h);
    await h.outbox.store.save([{ ...h.message, id: 'm-slack', route: 'ops', channel: { kind: 'slack', name: 'ops' } }]);
    const sent = await processOutboxTicket({ id: 'm-slack', attempt: 1 }, h.deps, NOW);
    expect(sent).toMatchObject({ kind: 'delivered' });
    const shown = Number(/(\d+) shown/.exec(sent.kind === 'delivered' ? sent.detail : '')?.[1]);
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(80);
    // Links are minted four at a time for the items in view; a link pushes later items out, so at most the last three minted fall out.
    expect(asked.length).toBeGreaterThanOrEqual(shown);
    expect(asked.length).toBeLessThan(shown + 4);
  });
});
