import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DigestStore } from '../../../shared/notifications/DigestPorts.js';
import { createNotificationPipeline } from '../../../shared/notifications/createNotificationPipeline.js';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import { flushDigest } from '../../../shared/notifications/flushDigest.js';
import { sweepDigests } from '../../../shared/notifications/sweepDigests.js';
import { sweepOutbox } from '../../../shared/notifications/sweepOutbox.js';
import type { Runtime } from '../../../shared/wiring/createRuntime.js';
import { VAULT } from '../../support/testScenario.js';
import { expiring, rotated } from './notificationFixtures.js';
import { OPS, startNotificationStack, utcNow, type NotificationStack } from './notificationStack.js';

/** A PagerDuty integration key is 32 characters; the sink refuses any other. */
const ROUTING_KEY = 'R0vigil0test0routing0key00000001';
const SLACK_TOKEN = 'vigilslacktoken0123456789';
/** A Slack URL pasted without its scheme: no retry mends it. */
const TYPO_URL = `hooks.slack.com/services/T0VIGIL/B0TYPO/${SLACK_TOKEN}`;

let n: NotificationStack;
let runtime: Runtime;
beforeAll(async () => {
  n = await startNotificationStack();
  const sinks = n.stack.cloud.endpoints.sinks;
  const secrets = n.stack.secretClient(VAULT);
  await secrets.setSecret('slack-ops-url', `${sinks}/slack/services/T0VIGIL/B0OPS/${SLACK_TOKEN}`);
  await secrets.setSecret('slack-crm-url', `${sinks}/slack/services/T0VIGIL/B0CRM/removed`);
  await secrets.setSecret('slack-typo-url', TYPO_URL);
  await secrets.setSecret('pagerduty-oncall-key', ROUTING_KEY);
  const slack = (name: string, secret: string) => [{ name, urlSecretName: secret }];
  runtime = n.runtimeWith({
    VIGIL_ROUTES: JSON.stringify({
      defaultRoute: 'ops',
      routes: {
        ops: {
          mail: { to: [OPS] },
          slack: slack('ops', 'slack-ops-url'),
          pagerduty: [{ name: 'oncall', routingKeySecretName: 'pagerduty-oncall-key', eventsUrl: `${sinks}/pagerduty/v2/enqueue` }],
        },
        bulk: { slack: slack('bulk', 'slack-ops-url') },
        crm: { slack: slack('crm', 'slack-crm-url') },
        typo: { slack: slack('typo', 'slack-typo-url') },
      },
      rules: [
        { match: { name: 'Bulk*' }, routes: ['bulk'], final: true },
        { match: { name: 'Gone*' }, routes: ['crm'], final: true },
        { match: { name: 'Typo*' }, routes: ['typo'], final: true },
      ],
    }),
  });
});
afterAll(async () => n?.stack.stop());

const data = () => n.stack.cloud.context.store.data;
/** What PagerDuty heard of a finding's alert, in order. */
const alertActions = (findingId: string) =>
  data()
    .pagerduty.filter((e) => e.dedupKey === findingId)
    .map((e) => e.action);
const drain = () => n.drainWith(runtime);
let counter = 0;
const app = (prefix: string) => ({
  app: `${prefix} ${++counter}`,
  appObjectId: `a0000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
});

describe('Slack and PagerDuty channels against the local cloud', () => {
  it('triggers a PagerDuty alert for a finding and resolves it with the same dedup key once it is fixed', async () => {
    const subject = app('Pager');
    const opened = expiring({ ...subject, now: utcNow(), severity: 'critical' });
    const id = findingOf(opened).id;
    await runtime.events.publish([opened]);
    await drain();
    const triggered = data().pagerduty.filter((e) => e.dedupKey === id);
    expect(triggered.map((e) => e.action)).toEqual(['trigger']);
    expect(JSON.parse(triggered[0]!.body)).toMatchObject({ payload: { severity: 'critical', class: 'credential.expiring' } });
    expect(triggered[0]!.body).not.toContain(ROUTING_KEY);
    expect(data().slack.at(-1)!.body).toContain(id);

    await runtime.events.publish([rotated({ ...subject, now: utcNow() })]);
    await drain();
    expect(alertActions(id)).toEqual(['trigger', 'resolve']);
    expect(data().slack.at(-1)!.body).toContain('RESOLVED');
  });

  it('does not resolve the alert for a recovery sent as part of an update, though the flush that committed it stopped', async () => {
    const subject = app('Pager part');
    const opened = expiring({ ...subject, now: utcNow().minus({ days: 2, minutes: 1 }), severity: 'critical' });
    const id = findingOf(opened).id;
    await runtime.events.publish([opened]);
    await drain();
    // Two days ago one run found the credential rotated, then expiring again: one decision, [recovered, new]. Its
    // publisher held the recovery only, and never came back.
    const lifecycle = runtime.notifications.lifecycle!;
    const heldOnlyFirst: DigestStore = {
      ...lifecycle.digests,
      hold: async (bucket, items) => {
        await lifecycle.digests.hold(bucket, items.slice(0, 1));
        throw new Error('a later transaction failed');
      },
    };
    const twoDaysAgo = utcNow().minus({ days: 2 });
    const publisher = createNotificationPipeline({
      ...lifecycle,
      digests: heldOnlyFirst,
      clock: () => twoDaysAgo,
      eventLog: { publish: async () => undefined },
      reminders: lifecycle.policy,
    });
    const again = expiring({ ...subject, now: twoDaysAgo.plus({ seconds: 1 }), severity: 'high' });
    await expect(publisher.publish([rotated({ ...subject, now: twoDaysAgo }), again])).rejects.toThrow('a later transaction failed');
    const [bucket] = (await lifecycle.digests.listBuckets()).filter((b) => b.startsWith('run-'));
    // The sweep's flush commits the part, then stops before taking it into a batch; the next flush sends it.
    const stopping: DigestStore = {
      ...lifecycle.digests,
      assign: async () => {
        throw new Error('the instance stopped');
      },
    };
    await expect(flushDigest(bucket!, { ...lifecycle, digests: stopping }, utcNow())).rejects.toThrow('the instance stopped');
    expect(await flushDigest(bucket!, lifecycle, utcNow())).toMatchObject({ kind: 'flushed', items: 1, partial: 1 });
    await drain();
    expect(alertActions(id)).toEqual(['trigger']);
    expect(data().slack.at(-1)!.body).toContain('CHECK');
    expect(data().slack.at(-1)!.body).not.toContain('RESOLVED');
  });

  it("does not resolve the reopened alert with a recovery whose digest's flush ran late, after the reopen went out", async () => {
    const subject = app('Pager late');
    const opened = expiring({ ...subject, now: utcNow().minus({ minutes: 2 }), severity: 'critical' });
    const id = findingOf(opened).id;
    await runtime.events.publish([opened]);
    await drain();
    // A run finds the credential rotated: its publisher commits the recovery and marks it, but its digest's flush
    // ticket is lost, so the digest waits for the reminder timer's sweep.
    const lifecycle = runtime.notifications.lifecycle!;
    const ticketLost = createNotificationPipeline({
      ...lifecycle,
      tickets: { flushLater: async () => undefined },
      eventLog: { publish: async () => undefined },
      reminders: lifecycle.policy,
    });
    await ticketLost.publish([rotated({ ...subject, now: utcNow().minus({ minutes: 1 }) })]);
    // The next run finds it expiring again: reopened, in a digest of its own, which goes out at once.
    await runtime.events.publish([expiring({ ...subject, now: utcNow(), severity: 'critical' })]);
    await drain();

    const swept = await sweepDigests(lifecycle, utcNow());
    expect(swept.map((s) => s.result)).toEqual([expect.objectContaining({ kind: 'flushed', items: 0, abandoned: 1 })]);
    await drain();
    // PagerDuty's alert stays open, as the finding is; the channel heard no 'Resolved' after the reopen.
    expect(alertActions(id)).toEqual(['trigger', 'trigger']);
    expect(data().slack.at(-1)!.body).toContain(subject.app);
    expect(data().slack.at(-1)!.body).not.toContain('RESOLVED');
  });

  it('posts a digest of 120 findings as one Slack message within its limits, the rest summarised with a link', async () => {
    const before = data().slack.length;
    await runtime.events.publish(Array.from({ length: 120 }, () => expiring({ ...app('Bulk'), now: utcNow() })));
    await drain();
    expect(data().slack.length - before).toBe(1);
    const body = JSON.parse(data().slack.at(-1)!.body) as { text: string; blocks: Array<{ text?: { text: string } }> };
    expect(body.text).toMatch(/^Vigil: 120 need action \(120 high\)/);
    expect(body.blocks.length).toBeLessThanOrEqual(50);
    expect(body.blocks.some((b) => /^\*…and \d+ more\.\*/.test(b.text?.text ?? ''))).toBe(true);
    expect(data().slack.at(-1)!.path).toBe('/slack/services/T0VIGIL/B0OPS');
  });

  it("falls back from a Slack webhook that answers 404 no_service to the default route's mail, Slack and PagerDuty", async () => {
    const mails = data().mail.length;
    const gone = expiring({ ...app('Gone'), now: utcNow() });
    await runtime.events.publish([gone]);
    await drain();
    const log = await runtime.notifications.log.list({ limit: 50, route: 'crm' });
    expect(log.map((e) => [e.outcome, e.detail])).toEqual(
      expect.arrayContaining([
        ['poisoned', expect.stringContaining('HTTP 404 no_service')],
        ['fallback', expect.stringContaining('mail')],
      ]),
    );
    const mail = data()
      .mail.slice(mails)
      .map((m) => m.body);
    expect(mail).toHaveLength(1);
    expect(mail[0]).toContain(gone.subject.displayName);
    expect(mail[0]).toContain('slack:crm');
    expect(alertActions(findingOf(gone).id)).toEqual(['trigger']);
    expect(JSON.stringify(data().slack.slice(-1))).toContain(gone.subject.displayName);
  });

  it('reports a Slack URL secret that is no https URL at its first attempt, without retrying it or showing it', async () => {
    const mails = data().mail.length;
    const typo = expiring({ ...app('Typo'), now: utcNow() });
    await runtime.events.publish([typo]);
    await drain();
    const log = await runtime.notifications.log.list({ limit: 50, route: 'typo' });
    expect(log.map((e) => [e.outcome, e.attempt, e.detail])).toEqual(
      expect.arrayContaining([
        ['poisoned', 1, expect.stringContaining('Key Vault secret slack-typo-url (the Slack webhook URL) is not an https URL')],
        ['fallback', 1, expect.stringContaining('mail')],
      ]),
    );
    expect(log.map((e) => e.outcome)).not.toContain('retrying');
    const mail = data()
      .mail.slice(mails)
      .map((m) => m.body);
    expect(mail).toHaveLength(1);
    expect(mail[0]).toContain('slack:typo');
    expect(mail[0]).toContain('is not an https URL');
    expect(JSON.stringify([log, mail])).not.toContain(SLACK_TOKEN);
  });

  it('keeps delivered fallback stand-ins as their record for a while, then the outbox sweep removes them', async () => {
    const outbox = runtime.table('outbox');
    const headers = async () => {
      const rows: Array<{ status?: unknown; fallbackFor?: unknown }> = [];
      for await (const row of outbox.listEntities<{ status?: string; fallbackFor?: string }>({
        queryOptions: { filter: "RowKey eq 'header'" },
      }))
        rows.push(row);
      return rows;
    };
    const countRows = async () => {
      let n = 0;
      for await (const _ of outbox.listEntities()) n += 1;
      return n;
    };
    // The fallbacks above left their delivered stand-ins, kept so a fallback that runs again sends nothing twice.
    const kept = (await headers()).filter((h) => h.status === 'delivered');
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((h) => typeof h.fallbackFor === 'string')).toBe(true);
    expect(await sweepOutbox(runtime.notifications.outbox, utcNow())).toBe(0);
    const before = await countRows();

    expect(await sweepOutbox(runtime.notifications.outbox, utcNow().plus({ days: 9 }))).toBe(kept.length);
    expect((await headers()).filter((h) => h.status === 'delivered')).toEqual([]);
    const left = await countRows();
    expect(left).toBeLessThan(before);
    // What is left is what a person may still want to look at: parked messages, header and items.
    expect((await headers()).every((h) => h.status === 'parked')).toBe(true);
  });
});
