import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRequest, InvocationContext } from '../../../functions/azureFunctions.js';
import { snoozeEndQueue } from '../../../functions/snoozeEndQueue.js';
import { snoozeFinding } from '../../../functions/snoozeFinding.js';
import { unsnoozeFinding } from '../../../functions/unsnoozeFinding.js';
import { queueNames } from '../../../shared/adapters/storage/queueNames.js';
import { announceSnoozeEnd } from '../../../shared/notifications/announceSnoozeEnd.js';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import { remindOpenFindings } from '../../../shared/notifications/remindOpenFindings.js';
import { expiring, rotated } from './notificationFixtures.js';
import { startNotificationStack, type NotificationStack } from './notificationStack.js';

let n: NotificationStack;
beforeAll(async () => {
  n = await startNotificationStack();
});
afterAll(async () => n?.stack.stop());

const cloudNow = () => DateTime.fromJSDate(n.stack.cloud.context.store.now(), { zone: 'utc' });
const data = () => n.stack.cloud.context.store.data;
const lifecycle = () => n.runtime.notifications.lifecycle!;
interface Mail {
  subject: string;
  text: string;
}
const mailsFrom = (index: number): Mail[] =>
  data()
    .mail.slice(index)
    .map((m) => {
      const { message } = JSON.parse(m.body) as { message: { subject: string; attachments: Array<{ contentBytes: string }> } };
      return { subject: message.subject, text: Buffer.from(message.attachments[0]!.contentBytes, 'base64').toString('utf8') };
    });
const webhooksFrom = (index: number) =>
  data()
    .webhooks.slice(index)
    .map((w) => JSON.parse(w.body) as { vigilreason: string; vigilfinding: string; data: { data: { daysLeft?: number } } });
const call = async (definition: typeof snoozeFinding, id: string, body?: unknown) => {
  if (definition.kind !== 'http') throw new Error('not an HTTP function');
  const request = new HttpRequest({
    method: body === undefined ? 'DELETE' : 'POST',
    url: `http://localhost/api/findings/${id}/snooze`,
    params: { id },
    headers: { authorization: `Bearer ${await n.stack.apiToken()}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: { string: JSON.stringify(body) } }),
  });
  return definition.handler(request, new InvocationContext({ functionName: definition.name }), n.runtime);
};

/** The reminder timer's run on the local cloud's clock, then the queues drained: what a route gets that day. */
async function remindToday(): Promise<Mail[]> {
  const before = data().mail.length;
  await remindOpenFindings(lifecycle(), cloudNow());
  await n.drain();
  return mailsFrom(before);
}

describe('a snooze that ends', () => {
  // First, on the real clock: the HTTP functions check access tokens against it.
  it('sets an alarm, and re-announces at once when a person lifts it or the alarm comes, once', async () => {
    const event = expiring({ app: 'Alarm app', appObjectId: 'a-alarm', keyId: 'k-alarm', daysLeft: 10, now: DateTime.utc() });
    const id = findingOf(event).id;
    await n.runtime.events.publish([event]);
    await n.drain();
    const alarms = async () => {
      const queue = n.runtime.queue(queueNames.snoozeEnd);
      await queue.createIfNotExists();
      return (await queue.getProperties()).approximateMessagesCount ?? 0;
    };
    const queued = await alarms();
    expect((await call(snoozeFinding, id, { days: 1, reason: 'vendor is on it' })).status).toBe(201);
    expect(await alarms()).toBe(queued + 1);

    let before = data().mail.length;
    expect((await call(unsnoozeFinding, id)).status).toBe(204);
    await n.drain();
    const lifted = mailsFrom(before);
    expect(lifted).toHaveLength(1);
    expect(lifted[0]!.subject).toMatch(/^\[Vigil\] 1 still open \(1 high\) — Alarm app client secret “prod” expires in 10 days$/);
    expect(lifted[0]!.text).toContain('Snooze ended');
    expect((await n.runtime.notifications.state.getFinding(id))?.snooze).toBeUndefined();

    // Another finding, told of two hours ago, whose snooze ran out a minute ago: its alarm re-announces
    // it once, and a duplicate alarm sends nothing.
    const other = expiring({
      app: 'Alarm app 2',
      appObjectId: 'a-alarm-2',
      keyId: 'k-alarm-2',
      daysLeft: 10,
      now: DateTime.utc().minus({ hours: 2 }),
    });
    const otherId = findingOf(other).id;
    await n.runtime.events.publish([other]);
    await n.drain();
    const until = DateTime.utc().minus({ minutes: 1 }).toISO();
    const at = DateTime.utc().minus({ hours: 1 }).toISO();
    await n.runtime.notifications.state.setSnooze(otherId, { until, reason: 'r', by: 'ana@contoso.com', at });
    before = data().mail.length;
    if (snoozeEndQueue.kind !== 'storageQueue') throw new Error('not a queue function');
    for (let i = 0; i < 2; i++)
      await snoozeEndQueue.handler({ findingId: otherId, until }, new InvocationContext({ functionName: snoozeEndQueue.name }), n.runtime);
    await n.drain();
    expect(mailsFrom(before)).toHaveLength(1);
  });
});

describe('reminders over weeks, with the clock moved', () => {
  it('follow the policy after a lapse, stop on a fix, hold back during a snooze and re-announce at its end', async () => {
    // Every run at 06:30 UTC on the local cloud's clock, so no day's steps straddle midnight.
    const real = cloudNow();
    await n.stack.admin('/admin/clock', {
      advanceMs: real.startOf('day').plus({ days: 1, hours: 6, minutes: 30 }).toMillis() - real.toMillis(),
    });
    const t0 = cloudNow();
    const app = (name: string, objectId: string, daysLeft: number) =>
      expiring({ app: name, appObjectId: objectId, keyId: `k-${objectId}`, daysLeft, now: t0 });
    const lapsed = app('Creatio lapsed', 'a-lapsed', -1);
    const fixed = app('Fixed app', 'a-fixed', -1);
    const snoozed = app('Snoozed app', 'a-snoozed', -1);
    const soon = app('Soon app', 'a-soon', 3);
    await n.runtime.events.publish([lapsed, fixed, snoozed, soon]);
    await n.drain();
    const start = data().webhooks.length;

    const seen: Record<string, number[]> = { lapsed: [], fixed: [], snoozed: [], soon: [] };
    const texts: Record<number, string> = {};
    let snoozeEnd: Mail[] = [];
    for (let day = 1; day <= 35; day++) {
      await n.stack.admin('/admin/clock', { advanceDays: 1 });
      if (day === 2) {
        // A person snoozes one finding until day 6; another is fixed (rotated).
        const until = t0.plus({ days: 6 }).toISO()!;
        await n.runtime.notifications.state.setSnooze(findingOf(snoozed).id, {
          until,
          reason: 'vendor',
          by: 'ana@contoso.com',
          at: cloudNow().toISO()!,
        });
        await n.runtime.events.publish([rotated({ app: 'Fixed app', appObjectId: 'a-fixed', keyId: 'k-a-fixed', now: cloudNow() })]);
        await n.drain();
      }
      if (day === 6) {
        // The snooze's alarm (its queue message waits on the real clock; this test moves the local cloud's).
        const before = data().mail.length;
        await announceSnoozeEnd(findingOf(snoozed).id, lifecycle(), cloudNow());
        await n.drain();
        snoozeEnd = mailsFrom(before);
      }
      const mails = await remindToday();
      expect(mails.length, `day ${day}: one digest for the route at most`).toBeLessThanOrEqual(1);
      const text = mails.map((m) => m.text).join('\n');
      texts[day] = text;
      for (const [key, name] of Object.entries({ lapsed: 'Creatio lapsed', fixed: 'Fixed app', snoozed: 'Snoozed app', soon: 'Soon app' }))
        if (text.includes(`* ${name} `)) seen[key]!.push(day);
    }

    // After a lapse: days 1, 3, 7, then weekly, six in all; the last says the reminders stop.
    expect(seen['lapsed']).toEqual([1, 3, 7, 14, 21, 28]);
    expect(texts[28]).toContain('Last reminder (6 of 6)');
    expect(texts[28]).toContain('Vigil stops reminding you of it now');
    // A reminder shows the state of its day, not the days left when the lapse was first reported.
    expect(texts[3]).toMatch(/\* Creatio lapsed — client secret “prod” — expired 4 days ago/);
    // Fixed on day 2: reminded on day 1 only.
    expect(seen['fixed']).toEqual([1]);
    // Snoozed from day 2 to day 6: its day-3 reminder was held back and named when the snooze ended.
    expect(seen['snoozed']).toEqual([1, 7, 14, 21, 28]);
    expect(snoozeEnd).toHaveLength(1);
    expect(snoozeEnd[0]!.text).toMatch(/\* Snoozed app — client secret “prod” — expired 7 days ago/);
    expect(snoozeEnd[0]!.text).toMatch(/Snooze ended .*\. While it was snoozed the 3-day reminder was held back/);
    // Valid with 3 days left: daily until it lapses on day 3, then 1, 3, 7… days after the lapse.
    expect(seen['soon']).toEqual([1, 2, 4, 6, 10, 17, 24, 31]);

    // Webhooks: one `reminder` CloudEvent per finding and reminder, with the days left of that day.
    const hooks = webhooksFrom(start).filter((w) => w.vigilfinding === findingOf(lapsed).id);
    expect(hooks.map((w) => w.vigilreason)).toEqual(Array(6).fill('reminder'));
    expect(hooks[1]!.data.data.daysLeft).toBe(-4);
  }, 180_000);

  it('re-announces at once when a person lifts a snooze, naming the threshold it crossed meanwhile', async () => {
    const event = expiring({ app: 'Lifted app', appObjectId: 'a-lifted', keyId: 'k-lifted', daysLeft: 10, now: cloudNow() });
    const id = findingOf(event).id;
    await n.runtime.events.publish([event]);
    await n.drain();
    const until = cloudNow().plus({ days: 5 }).toISO()!;
    await n.runtime.notifications.state.setSnooze(id, { until, reason: 'migrating', by: 'ana@contoso.com', at: cloudNow().toISO()! });
    await n.stack.admin('/admin/clock', { advanceDays: 4 });
    const before = data().mail.length;
    // What DELETE /api/findings/{id}/snooze does, on the local cloud's clock.
    await announceSnoozeEnd(id, lifecycle(), cloudNow(), true);
    await n.drain();
    const mails = mailsFrom(before);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toMatch(/^\[Vigil\] 1 still open \(1 high\) — Lifted app client secret “prod” expires in 6 days/);
    expect(mails[0]!.text).toMatch(/While it was snoozed the 7-day mark passed \(/);
    // Announced once: the same day's walk has nothing more to say about it.
    expect((await remindToday()).filter((m) => m.text.includes('Lifted app'))).toEqual([]);
  });
});
