import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCloudEvent } from '../../../local/cloud/sinks/checkCloudEvent.js';
import { checkTeamsMessage } from '../../../local/cloud/sinks/checkTeamsMessage.js';
import { poisonQueueOf, queueNames } from '../../../shared/adapters/storage/queueNames.js';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import { expiring, rotated, tokenFailed } from './notificationFixtures.js';
import { routesFor, SIGNING, startNotificationStack, TEAMS_SIG, utcNow, type NotificationStack } from './notificationStack.js';
import { timerArgument } from '../../../local/devhost/runTimerFunctions.js';

let n: NotificationStack;
beforeAll(async () => {
  n = await startNotificationStack();
});
afterAll(async () => n?.stack.stop());

const data = () => n.stack.cloud.context.store.data;
const since: NotificationStack['since'] = (before) => n.since(before);
let appCounter = 0;
/** A fresh Creatio-like app per test, so the tests' findings never meet. */
const app = (prefix = 'Creatio') => ({
  app: `${prefix} ${++appCounter}`,
  appObjectId: `a0000000-0000-4000-8000-${String(appCounter).padStart(12, '0')}`,
});

describe('the notification pipeline against the local cloud', () => {
  it('delivers the same event once per route, and a severity escalation again', async () => {
    const before = n.captured();
    const subject = app();
    const event = expiring({ ...subject, now: utcNow(), severity: 'high' });
    await n.runtime.events.publish([event]);
    await n.runtime.events.publish([event]);
    await n.drain();
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 1 });

    await n.runtime.events.publish([expiring({ ...subject, now: utcNow(), severity: 'critical' })]);
    await n.drain();
    expect(since(before)).toEqual({ mail: 2, teams: 2, webhooks: 2 });
    const lastMail = JSON.parse(data().mail.at(-1)!.body) as {
      message: { subject: string; attachments: Array<{ name: string; contentType: string }> };
    };
    expect(lastMail.message.subject).toMatch(
      /^\[Vigil\] 1 needs action \(1 critical\) — Creatio \d+ client secret “prod” expires in 10 days$/,
    );
    expect(lastMail.message.attachments).toEqual([
      expect.objectContaining({ name: 'digest.txt', contentType: 'text/plain; charset=utf-8' }),
    ]);
  });

  it('links every message to the finding on the status page when VIGIL_PUBLIC_BASE_URL is set: mail, Teams and webhook', async () => {
    const runtime = n.runtimeWith({ VIGIL_PUBLIC_BASE_URL: 'https://vigil.contoso.com' });
    const before = n.captured();
    const event = expiring({ ...app(), now: utcNow() });
    await runtime.events.publish([event]);
    await n.drainWith(runtime);
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 1 });
    const link = `https://vigil.contoso.com/api/dashboard?tenant=${event.tenantId}#${findingOf(event).id}`;
    expect(data().mail.at(-1)!.body).toContain(link);
    expect(data().teams.at(-1)!.body).toContain(link);
    expect(JSON.parse(data().webhooks.at(-1)!.body)).toMatchObject({ vigilstatusurl: link, vigilfinding: findingOf(event).id });
  });

  it('signs every webhook so standardwebhooks verifies it, and a tampered body fails', async () => {
    await n.runtime.events.publish([tokenFailed('cerb-mailbox', utcNow()), expiring({ ...app(), now: utcNow() })]);
    await n.drain();
    const sent = data().webhooks.filter((w) => w.endpoint !== 'dead');
    expect(sent.length).toBeGreaterThanOrEqual(2);
    for (const webhook of sent) {
      const secret = SIGNING[webhook.endpoint as keyof typeof SIGNING];
      const verified = new Webhook(secret).verify(webhook.body, webhook.headers) as { specversion: string; type: string };
      expect(verified.specversion).toBe('1.0');
      expect(webhook.headers['content-type']).toBe('application/cloudevents+json');
      expect(() => new Webhook(secret).verify(webhook.body.replace('"severity":"', '"severity":"x'), webhook.headers)).toThrow(
        'No matching signature found',
      );
    }
    expect(sent.map((w) => JSON.parse(w.body) as { type: string }).map((e) => e.type)).toEqual(
      expect.arrayContaining(['vigil.token.refresh_failed', 'vigil.credential.expiring']),
    );
  });

  it('sends a batch-mode endpoint one signed CloudEvents batch per digest', async () => {
    const config = routesFor(n.stack.cloud.endpoints.sinks);
    const runtime = n.runtimeWith({
      VIGIL_ROUTES: JSON.stringify({
        ...config,
        routes: { ...config.routes, creatio: { webhooks: [{ ...config.routes.creatio.webhooks[0]!, batch: true }] } },
      }),
    });
    const before = n.captured();
    const events = [1, 2, 3].map(() => expiring({ ...app(), now: utcNow() }));
    await runtime.events.publish(events);
    await n.drainWith(runtime);
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 1 });
    const post = data().webhooks.at(-1)!;
    expect(post.endpoint).toBe('creatio');
    expect(post.headers['content-type']).toBe('application/cloudevents-batch+json');
    const verified = new Webhook(SIGNING.creatio).verify(post.body, post.headers) as Array<{ id: string; type: string }>;
    expect(checkCloudEvent(verified, true)).toEqual({ kind: 'valid' });
    expect(verified.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
    expect(verified.every((e) => e.type === 'vigil.credential.expiring')).toBe(true);
  });

  it('sends a digest of 500 findings as one Teams card the sink accepts, summarising the rest', async () => {
    const before = n.captured();
    const now = utcNow();
    const events = Array.from({ length: 500 }, (_, i) =>
      expiring({ app: `Bulk app ${i}`, appObjectId: `b-${i}`, keyId: `k-${i}`, daysLeft: i % 30, now }),
    );
    await n.runtime.events.publish(events);
    await n.drain();
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 0 });
    const card = data().teams.at(-1)!;
    expect(checkTeamsMessage('application/json', Buffer.from(card.body))).toEqual({ kind: 'accepted' });
    expect(card.body).toMatch(/…and \d+ more\./);
    const log = await n.runtime.notifications.log.list({ limit: 5, route: 'ops' });
    expect(log.find((e) => e.channel === 'teams:ops')).toMatchObject({
      outcome: 'delivered',
      items: 500,
      detail: expect.stringMatching(/summarised as "and more"/),
    });
  }, 90_000);

  it('waits out a Graph 429 as asked and then delivers the mail once', async () => {
    await n.stack.admin('/admin/faults', {
      service: 'graph',
      path: '/users/.*/sendMail',
      action: { kind: 'status', status: 429, retryAfterSeconds: 1 },
      times: 1,
    });
    const before = n.captured();
    await n.runtime.events.publish([expiring({ ...app('Courier'), now: utcNow() })]);
    await n.drain();
    expect(since(before)).toEqual({ mail: 0, teams: 1, webhooks: 0 });
    const lastMailAttempt = async () =>
      (await n.runtime.notifications.log.list({ limit: 10, route: 'ops' })).find((e) => e.channel === 'mail');
    const retrying = await lastMailAttempt();
    expect(retrying).toMatchObject({
      channel: 'mail',
      attempt: 1,
      outcome: 'retrying',
      retryInMs: 1000,
      detail: 'Graph sendMail: HTTP 429 InjectedFault, Retry-After 1',
    });

    await sleep(1_000);
    await n.drain();
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 0 });
    const delivered = await lastMailAttempt();
    expect(delivered).toMatchObject({ channel: 'mail', attempt: 2, outcome: 'delivered', messageId: retrying!.messageId });
    // The queue kept the ticket invisible for the second Graph asked for: the mail arrived no sooner.
    expect(Date.parse(data().mail.at(-1)!.receivedAt) - Date.parse(retrying!.at)).toBeGreaterThanOrEqual(1_000);
  });

  it('holds a snoozed finding back and sends one recovery notice when it is rotated', async () => {
    const subject = app();
    const first = expiring({ ...subject, now: utcNow() });
    const findingId = findingOf(first).id;
    await n.runtime.events.publish([first]);
    await n.drain();
    const before = n.captured();
    const until = utcNow().plus({ days: 2 });
    await n.runtime.notifications.state.setSnooze(findingId, {
      until: until.toISO()!,
      reason: 'decommissioning',
      by: 'ana@contoso.com',
      at: utcNow().toISO()!,
    });
    await n.runtime.events.publish([expiring({ ...subject, now: utcNow().plus({ hours: 1 }), severity: 'critical' })]);
    await n.drain();
    expect(since(before)).toEqual({ mail: 0, teams: 0, webhooks: 0 });

    await n.runtime.events.publish([expiring({ ...subject, now: until.plus({ minutes: 1 }), severity: 'critical' })]);
    await n.drain();
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 1 });

    await n.runtime.events.publish([rotated({ ...subject, now: until.plus({ hours: 1 }) })]);
    await n.runtime.events.publish([rotated({ ...subject, now: until.plus({ hours: 2 }) })]);
    await n.drain();
    expect(since(before)).toEqual({ mail: 2, teams: 2, webhooks: 2 });
    expect(JSON.parse(data().webhooks.at(-1)!.body)).toMatchObject({
      type: 'vigil.credential.rotated',
      vigilreason: 'recovered',
      vigilfinding: findingId,
    });
    expect(data().teams.at(-1)!.body).toContain('1 resolved');
  });

  it('parks a delivery to a dead endpoint, hands its notice to the default route with the report, and leaves other routes alone', async () => {
    const before = n.captured();
    await n.runtime.events.publish([expiring({ ...app('Doomed'), now: utcNow() })]);
    await n.drain();
    const delta = since(before);
    // creatio got its webhook; dead was tried once (410); ops got the report and the notice by mail and Teams.
    expect(delta).toEqual({ mail: 1, teams: 1, webhooks: 2 });
    expect(
      data()
        .webhooks.slice(-2)
        .map((w) => [w.endpoint, w.verified]),
    ).toEqual(
      expect.arrayContaining([
        ['creatio', true],
        ['dead', false],
      ]),
    );
    const poisoned = await n.runtime.queue(poisonQueueOf(queueNames.outbox)).peekMessages({ numberOfMessages: 32 });
    expect(poisoned.peekedMessageItems).toHaveLength(1);
    expect(data().teams.at(-1)!.body).toContain('webhook:dead on route dead');
    expect(data().teams.at(-1)!.body).toContain('Doomed');
    expect(JSON.parse(data().mail.at(-1)!.body).message.subject).toMatch(/^\[Vigil\] 2 need action \(2 high\) — /);

    // The endpoint is disabled: the next event for it is not sent there, but its notice still reaches ops.
    const later = n.captured();
    await n.runtime.events.publish([expiring({ ...app('Doomed'), now: utcNow() })]);
    await n.drain();
    expect(since(later)).toEqual({ mail: 1, teams: 1, webhooks: 1 });
    expect(data().webhooks.at(-1)!.endpoint).toBe('creatio');
    const log = await n.runtime.notifications.log.list({ limit: 3, route: 'dead' });
    expect(log.map((e) => e.outcome)).toEqual(['dropped', 'fallback', 'poisoned']);
    expect(log[1]!.detail).toBe('reported, with what it could not deliver, on mail, teams:ops of route ops');
  });

  it('keeps the Workflow URL and signing keys out of the delivery log and captured requests', async () => {
    const everything = JSON.stringify(await n.runtime.notifications.log.list({ limit: 500 }));
    for (const secret of [TEAMS_SIG, ...Object.values(SIGNING)]) {
      expect(everything).not.toContain(secret);
      expect(JSON.stringify(data().webhooks)).not.toContain(secret);
      expect(JSON.stringify(data().mail)).not.toContain(secret);
    }
  });
});

describe('the daily digest', () => {
  it("holds a daily route's notifications until the digest timer, then sends them as one digest", async () => {
    const { notificationDigestTimer } = await import('../../../functions/notificationDigestTimer.js');
    const { InvocationContext } = await import('../../../functions/azureFunctions.js');
    const routes = routesFor(n.stack.cloud.endpoints.sinks);
    const daily = { ...routes, routes: { ...routes.routes, ops: { ...routes.routes.ops, schedule: 'daily' } } };
    const runtime = n.stack.runtimeWith({ VIGIL_ROUTES: JSON.stringify(daily), VIGIL_MAIL_SENDER: 'ops@contoso.onmicrosoft.com' });
    await n.drain();
    const before = n.captured();
    await runtime.events.publish([expiring({ ...app(), now: utcNow() })]);
    await runtime.events.publish([expiring({ ...app(), now: utcNow() })]);
    await n.drain();
    expect(since(before)).toEqual({ mail: 0, teams: 0, webhooks: 2 });

    const timer = timerArgument(null);
    if (notificationDigestTimer.kind !== 'timer') throw new Error('not a timer');
    await notificationDigestTimer.handler(timer, new InvocationContext({ functionName: 'notificationDigestTimer' }), runtime);
    await notificationDigestTimer.handler(timer, new InvocationContext({ functionName: 'notificationDigestTimer' }), runtime);
    await n.drain();
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 2 });
    expect(JSON.parse(data().mail.at(-1)!.body).message.subject).toMatch(
      /^\[Vigil\] 2 need action \(2 high\) — Creatio \d+ client secret “prod” expires in 10 days, \+1$/,
    );
  });
});

describe('what npm start shows a person', () => {
  it('writes the mail as HTML (and text), the Teams cards and the webhook bodies to files', async () => {
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { writeNotificationOutputs } = await import('../../../local/devhost/writeNotificationOutputs.js');
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'vigil-out-')), 'out');
    const outputs = writeNotificationOutputs(data(), dir);
    expect(outputs.mail.length).toBe(data().mail.length * 2);
    expect(readFileSync(outputs.mail[0]!, 'utf8')).toMatch(/^<!DOCTYPE html>/);
    expect(readFileSync(outputs.mail[1]!, 'utf8')).toMatch(/^Vigil: /);
    expect(outputs.teams).toHaveLength(data().teams.length);
    expect(JSON.parse(readFileSync(outputs.teams[0]!, 'utf8'))).toMatchObject({ type: 'message' });
    expect(outputs.webhooks.some((f) => f.endsWith('-dead-rejected.json'))).toBe(true);
    expect(
      JSON.parse(
        readFileSync(
          outputs.webhooks.find((f) => f.includes('-creatio'))!,
          'utf8',
        ),
      ),
    ).toMatchObject({ specversion: '1.0' });
  });
});
