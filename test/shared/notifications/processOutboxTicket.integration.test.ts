import { ClientSecretCredential } from '@azure/identity';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphClient } from '../../../shared/adapters/graph/createGraphClient.js';
import { queueNames } from '../../../shared/adapters/storage/queueNames.js';
import { createTableEventLog } from '../../../shared/adapters/storage/tableEventLog.js';
import { newEvent } from '../../../shared/events/newEvent.js';
import type { OutboxTicket } from '../../../shared/notifications/OutboxMessage.js';
import { noTelemetry, type Telemetry } from '../../../shared/telemetry/Telemetry.js';
import { flushDigest } from '../../../shared/notifications/flushDigest.js';
import type { OutboxQueue } from '../../../shared/notifications/OutboxPorts.js';
import { processOutboxTicket, type DeliveryDeps } from '../../../shared/notifications/processOutboxTicket.js';
import type { TicketResult } from '../../../shared/notifications/TicketResult.js';
import { createNotifications, type Notifications } from '../../../shared/wiring/createNotifications.js';
import { resolveCloud } from '../../../shared/wiring/resolveCloud.js';
import { cloudClockCredential } from '../../support/cloudClockCredential.js';
import { startTestStack, type TestStack } from '../../support/startTestStack.js';
import { tokenEndpointFault } from '../../support/tokenEndpointFault.js';
import { TENANT, VAULT, VIGIL_SECRET } from '../../support/testScenario.js';
import { expiring } from './notificationFixtures.js';
import { notificationScenario, OPS, TEAMS_SIG } from './notificationStack.js';

/**
 * Issue 13's outage: a six-hour 429 storm on the token endpoint, on the local cloud's clock. Every channel
 * needs Entra: mail a Graph token, Teams its URL from Key Vault. The outbox queue is simulated at its port
 * (tickets run when their visibility delay has passed on the cloud clock); channels, Key Vault, Entra and
 * the outbox table are the real ones.
 */
let stack: TestStack;
let notifications: Notifications;
let deps: DeliveryDeps;
const due: Array<{ ticket: OutboxTicket; atMs: number }> = [];
const poisoned: unknown[] = [];
const results: Array<{ at: DateTime; result: TicketResult }> = [];
const cloudNowMs = () => stack.cloud.context.store.now().getTime();
/** What the notifications leave in Vigil's log as warnings. */
const warnings: string[] = [];
const telemetry: Telemetry = { ...noTelemetry, log: (level, line) => void (level === 'warn' && warnings.push(line)) };
const cloudNow = () => DateTime.fromMillis(cloudNowMs(), { zone: 'utc' });

beforeAll(async () => {
  stack = await startTestStack({ scenario: notificationScenario() });
  const sinks = stack.cloud.endpoints.sinks;
  await stack.secretClient(VAULT).setSecret('teams-ops-url', `${sinks}/teams/ops?sig=${TEAMS_SIG}`);
  const runtime = stack.runtimeWith({
    VIGIL_ROUTES: JSON.stringify({
      defaultRoute: 'ops',
      routes: { ops: { mail: { to: [OPS] }, teams: [{ name: 'ops', urlSecretName: 'teams-ops-url' }] } },
    }),
    VIGIL_MAIL_SENDER: OPS,
  });
  const { settings } = runtime;
  const home = resolveCloud(settings, settings.VIGIL_CLOUD);
  const credential = cloudClockCredential(
    () =>
      new ClientSecretCredential(TENANT, settings.VIGIL_CLIENT_ID!, VIGIL_SECRET, {
        authorityHost: home.login,
        disableInstanceDiscovery: true,
      }),
    cloudNowMs,
  );
  // The production wiring, with tokens and the channel-secret cache on the cloud clock.
  notifications = createNotifications({
    settings,
    credential,
    home,
    homeGraph: createGraphClient(credential, home),
    telemetry,
    eventLog: createTableEventLog(runtime.table('events')),
    table: runtime.table,
    queue: runtime.queue,
    nowMs: cloudNowMs,
  });
  const simulated: OutboxQueue = {
    enqueue: async (ticket, delayMs = 0) => void due.push({ ticket, atMs: cloudNowMs() + delayMs }),
    poison: async (message) => void poisoned.push(message),
  };
  deps = { ...notifications.delivery!, queue: simulated };
});
afterAll(async () => stack?.stop());

/**
 * Flushes the digest buckets the pipeline ticketed (the tests' digest window is 0 s), then moves what the
 * flush queued on the real outbox queue to the simulated one, due now.
 */
async function takeQueued() {
  const digests = stack.runtime.queue(queueNames.digest);
  for (const item of (await digests.receiveMessages({ numberOfMessages: 32 })).receivedMessageItems) {
    const { bucket } = JSON.parse(Buffer.from(item.messageText, 'base64').toString('utf8')) as { bucket: string };
    await flushDigest(bucket, notifications.lifecycle!, cloudNow());
    await digests.deleteMessage(item.messageId, item.popReceipt);
  }
  const queue = stack.runtime.queue(queueNames.outbox);
  const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32 });
  for (const item of receivedMessageItems) {
    due.push({ ticket: JSON.parse(Buffer.from(item.messageText, 'base64').toString('utf8')) as OutboxTicket, atMs: cloudNowMs() });
    await queue.deleteMessage(item.messageId, item.popReceipt);
  }
}

/** Runs every ticket that becomes visible up to `untilMs`, moving the cloud clock to each. */
async function runUntil(untilMs: number) {
  for (;;) {
    due.sort((a, b) => a.atMs - b.atMs);
    const next = due[0];
    if (!next || next.atMs > untilMs) break;
    due.shift();
    if (next.atMs > cloudNowMs()) await stack.admin('/admin/clock', { advanceMs: next.atMs - cloudNowMs() });
    results.push({ at: cloudNow(), result: await processOutboxTicket(next.ticket, deps, cloudNow()) });
  }
  if (untilMs > cloudNowMs()) await stack.admin('/admin/clock', { advanceMs: untilMs - cloudNowMs() });
}

const captured = () => stack.cloud.context.store.data;
const cardsAbout = (text: string) => captured().teams.filter((t) => t.body.includes(text));
const mailsAbout = (text: string) => captured().mail.filter((m) => m.body.includes(text));

describe('delivery through a six-hour token-endpoint 429 storm', () => {
  it('gets the could-not-check notice to a person by Teams during the storm, and by mail once it ends', async () => {
    // Before the storm: Vigil has delivered before, so it knows the Teams URL.
    await notifications.events.publish([expiring({ app: 'Warm-up app', now: cloudNow() })]);
    await takeQueued();
    await runUntil(cloudNowMs());
    expect(results.map((r) => r.result.kind)).toEqual(['delivered', 'delivered']);

    await stack.admin('/admin/faults', tokenEndpointFault(429, 1_000_000));
    const stormStart = cloudNowMs();
    const stormEnd = stormStart + 6 * 3_600_000;
    await stack.admin('/admin/clock', { advanceMs: 65 * 60_000 }); // Vigil's tokens have expired by now
    const summary = 'Vigil could not check tenant Contoso: the token endpoint answered 429 Too Many Requests.';
    await notifications.events.publish([
      newEvent(
        {
          type: 'scan.failed',
          tenantId: TENANT,
          subject: { kind: 'tenant', id: TENANT, displayName: 'Contoso' },
          severity: 'high',
          summary,
          impact: 'Expiring credentials in this tenant are not being found.',
          fix: 'Wait for Entra to stop throttling; Vigil retries every scan.',
          dedupeKey: `scan.failed|${TENANT}|throttled`,
          data: { reason: 'HTTP 429 from the token endpoint', since: cloudNow().toISO()! },
        },
        cloudNow(),
      ),
    ]);
    await takeQueued();
    await runUntil(stormEnd - 1);

    // During the storm: Teams, from the URL Vigil last read; mail keeps trying, and says why.
    const card = cardsAbout(summary);
    expect(card).toHaveLength(1);
    expect(Date.parse(card[0]!.receivedAt)).toBeLessThan(stormEnd);
    const log = await notifications.log.list({ limit: 100, route: 'ops' });
    expect(log.find((e) => e.channel === 'teams:ops' && e.types.includes('scan.failed'))).toMatchObject({
      outcome: 'delivered',
      detail: expect.stringContaining(
        'the Workflow URL from memory: Key Vault could not be read (Vigil could not get a token for Key Vault)',
      ),
    });
    const mailAttempts = log.filter((e) => e.channel === 'mail' && e.types.includes('scan.failed'));
    expect(mailAttempts.length).toBeGreaterThanOrEqual(8);
    expect(mailAttempts.every((e) => e.outcome === 'retrying' || e.outcome === 'fallback')).toBe(true);
    expect(mailAttempts[0]).toMatchObject({ detail: 'Graph sendMail: Vigil could not get a Graph token (AuthenticationRequiredError)' });
    // The failing mail channel was reported on Teams, once.
    expect(cardsAbout('mail on route ops')).toHaveLength(1);
    // …and is an open finding on ops: reminded of, snoozable, until it closes.
    const openTypes = async () =>
      Promise.all((await notifications.state.listOpen()).map(async (o) => (await notifications.state.getFinding(o.findingId))?.type));
    expect(await openTypes()).toContain('delivery.failed');
    expect(mailsAbout(summary)).toHaveLength(0);
    expect(poisoned).toEqual([]);

    // The storm ends: the next attempt (within the hour the backoff is capped at) delivers the mail, once.
    await stack.admin('/admin/faults', undefined, 'DELETE');
    await runUntil(stormEnd + 2 * 3_600_000);
    expect(mailsAbout(summary)).toHaveLength(1);
    expect(cardsAbout(summary)).toHaveLength(1);
    expect(poisoned).toEqual([]);
    expect(due).toEqual([]);
    expect(JSON.stringify(await notifications.log.list({ limit: 500 }))).not.toContain(TEAMS_SIG);

    // Its delivery closed the mail channel's failure, and ops hears so, once.
    await takeQueued();
    await runUntil(cloudNowMs());
    const recovered = 'Vigil delivers to mail on route ops again';
    expect(cardsAbout(recovered)).toHaveLength(1);
    expect(mailsAbout(recovered)).toHaveLength(1);
    expect(await openTypes()).not.toContain('delivery.failed');
  });
});

describe("a mail's copy to the apps' owners, as createNotifications wires it", () => {
  it("leaves out an app whose owners Graph cannot read, and says so in Vigil's log", async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const owners = await deps.channels.owners.mailOwnersOf([{ tenantId: TENANT, kind: 'application', id: missing }]);
    expect(owners.addresses).toEqual([]);
    expect(warnings).toContainEqual(
      `could not read the owners of 1 app, left out of the mail's recipients: application ${missing}: HTTP 404 Request_ResourceNotFound`,
    );
  });
});
