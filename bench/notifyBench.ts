import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { deliverNotificationQueue } from '../functions/deliverNotificationQueue.js';
import { flushDigestQueue } from '../functions/flushDigestQueue.js';
import { azuriteCpuProfile } from './vigilCpuProfile.js';
import { startAzurite } from '../local/azurite/startAzurite.js';
import type { Scenario } from '../local/cloud/scenario/scenarioSchema.js';
import { startLocalCloud } from '../local/cloud/startLocalCloud.js';
import { createInvocationContext } from '../local/devhost/invocationContext.js';
import { drainQueuesLikeHost } from '../local/devhost/runQueueFunctions.js';
import { MAX_IN_FLIGHT, queueHostOptions } from '../local/devhost/queueListener.js';
import { certificatesDir } from '../local/paths.js';
import { queueNames } from '../shared/adapters/storage/queueNames.js';
import { newEvent } from '../shared/events/newEvent.js';
import type { VigilEvent } from '../shared/events/vigilEvent.js';
import { loadSettings } from '../shared/settings/loadSettings.js';
import { createRuntime, type Runtime } from '../shared/wiring/createRuntime.js';
import { asQueueFunction } from './asQueueFunction.js';
import { atMost, BENCH_LATENCY, describeFigure, type BenchFigure } from './benchGoals.js';
import { seconds } from './seconds.js';

const HOME = '0c0c0c0c-1111-4222-8333-444455556666';
const VIGIL_SECRET = 'bench-notify-vigil-secret-not-for-production';
const VAULT = 'bench-notify';
const SENDER = 'vigil@msp.onmicrosoft.com';
const OPS = 'ops@msp.onmicrosoft.com';
const TENANTS = 1_000;
/** An MSP's customers, each with its tenants, its contact's mail and its own route. */
const CUSTOMERS = 100;
const TENANTS_PER_CUSTOMER = TENANTS / CUSTOMERS;
/** Customers who also take a Teams card (every 10th) or signed webhooks (every 5th). */
const hasTeams = (c: number) => c % 10 === 0;
const hasWebhook = (c: number) => c % 5 === 0;
/** Findings each tenant's scan publishes in the cycle. */
const FINDINGS_PER_TENANT: number = 1;
const WINDOW_SECONDS = 300;

/**
 * Published limits of the channels a cycle's deliveries go through (each printed with its source).
 * Exchange Online: 30 messages a minute per mailbox, delayed not refused (platform-facts; learn.microsoft.com
 * office365/servicedescriptions/exchange-online-service-description/exchange-online-limits, "Sending limits").
 * Graph sendMail: 4 concurrent requests per app and mailbox (protocol-facts §3, learn.microsoft.com/graph/throttling-limits, Outlook).
 * Teams Workflows: no published limit (the legacy connectors allowed 4 requests a second; protocol-facts §4).
 * Webhooks: the receiver's, none published: only latency and concurrency bind.
 */
export const CHANNEL_LIMITS = { mailPerMinutePerMailbox: 30, sendMailConcurrentPerMailbox: 4, teamsPerSecondPerWebhook: 4 } as const;

const tenantId = (t: number) => `30000000-0000-4000-8000-${String(t).padStart(12, '0')}`;

const contactOf = (c: number) => `it@customer${c}.example.com`;
const webhookName = (c: number) => `customer-${c}`;
const signingKey = (c: number) => `whsec_${Buffer.from(`bench-notify-signing-key-${String(c).padStart(4, '0')}`).toString('base64')}`;

function scenario(): Scenario {
  const customers = Array.from({ length: CUSTOMERS }, (_, c) => c);
  return {
    tenants: [
      {
        id: HOME,
        displayName: 'MSP',
        defaultDomain: 'msp.onmicrosoft.com',
        users: [{ userPrincipalName: SENDER }, { userPrincipalName: OPS }],
        applications: [
          {
            displayName: 'Vigil',
            passwordCredentials: [{ displayName: 'vigil', secretText: VIGIL_SECRET, end: { inDays: 300 } }],
            roles: { 'https://graph.microsoft.com': ['Mail.Send'] },
          },
        ],
      },
    ],
    vaults: [
      {
        name: VAULT,
        tenant: HOME,
        allowedApps: ['Vigil'],
        secrets: customers.filter(hasWebhook).map((c) => ({
          name: `${webhookName(c)}-key`,
          value: { literal: signingKey(c) },
          tags: { 'vigil-kind': 'notification-secret' },
        })),
      },
    ],
    webhookEndpoints: customers.filter(hasWebhook).map((c) => ({ name: webhookName(c), secret: signingKey(c) })),
  };
}

/** The MSP's routes: its own ops mail and Teams for everything, and per customer its contact's mail, a card or a webhook. */
function routes(sinks: string) {
  const customers = Array.from({ length: CUSTOMERS }, (_, c) => c);
  return {
    defaultRoute: 'ops',
    routes: {
      ops: { mail: { to: [OPS] }, teams: [{ name: 'ops', urlSecretName: 'teams-ops-url' }] },
      ...Object.fromEntries(
        customers.map((c) => [
          `customer-${c}`,
          {
            mail: { to: [contactOf(c)] },
            teams: hasTeams(c) ? [{ name: `customer-${c}`, urlSecretName: `teams-customer-${c}-url` }] : [],
            webhooks: hasWebhook(c)
              ? [{ name: webhookName(c), url: `${sinks}/webhooks/${webhookName(c)}`, signingSecretName: `${webhookName(c)}-key` }]
              : [],
          },
        ]),
      ),
    },
    rules: customers.map((c) => ({
      name: `Customer ${c}`,
      match: { tenants: Array.from({ length: TENANTS_PER_CUSTOMER }, (_, k) => tenantId(c * TENANTS_PER_CUSTOMER + k)) },
      routes: [`customer-${c}`, 'ops'],
    })),
  };
}

/** A finding the tenant's hourly scan reports: a client secret expiring within the thresholds. */
function finding(t: number, k: number, now: DateTime): VigilEvent {
  const objectId = `a${String(t).padStart(7, '0')}-0000-4000-8000-00000000000${k}`;
  const daysLeft = 3 + ((t + k) % 25);
  const threshold = daysLeft <= 7 ? 7 : 30;
  return newEvent(
    {
      type: 'credential.expiring',
      tenantId: tenantId(t),
      subject: { kind: 'application', id: objectId, displayName: `Tenant ${t} app ${k}`, appId: objectId },
      severity: daysLeft <= 7 ? 'high' : 'medium',
      summary: `The client secret of Tenant ${t} app ${k} expires in ${daysLeft} days.`,
      dedupeKey: `credential.expiring|${tenantId(t)}|${objectId}|k${k}|${threshold}`,
      routing: { tags: {} },
      links: { portal: 'https://portal.azure.com/' },
      data: {
        keyId: `k${k}`,
        credentialType: 'password',
        displayName: 'prod',
        endDateTime: now.plus({ days: daysLeft }).toISO()!,
        daysLeft,
        threshold,
        overlap: false,
      },
    },
    now,
  );
}

export interface NotifyMeasurement {
  events: number;
  /** Publishes run again after failing, as the host reruns a failed scan message. */
  publishRetries: number;
  publishMs: number;
  /** From each window's flush (its end) to its last delivery, summed over the cycle's windows. */
  drainMs: number;
  mails: number;
  /** The most mails one route's recipient got, and Teams cards one channel got, in the cycle. */
  mostMailsPerRecipient: number;
  mostCardsPerChannel: number;
  /** Digest buckets (windows) the cycle's decisions fell in: 1, or 2 when publishing straddled a window's end. */
  windows: number;
  cards: number;
  webhooks: number;
  unverifiedWebhooks: number;
  /** Mails sent while the window was still open: none may leave before it ends. */
  sentBeforeWindowEnd: number;
  /** The most mails one sender's mailbox sent within any 60 s (as the Graph sink received them). */
  mostMailsPerMinute: number;
  /** What the channel limits and the latencies allow at best, and how that was worked out. */
  floor: { ms: number; how: string };
}

/**
 * One hourly cycle of an MSP with findings in all of its tenants, through the real pipeline: each tenant's
 * scan publishes its findings (24 at a time, as one instance's scan queue listener runs them), the digest
 * window ends, and the digest flush and the outbox functions run as the queue host runs them, against the
 * local Graph (sendMail), Teams Workflows and webhook sinks, with BENCH_LATENCY on Graph and Key Vault.
 */
export async function measureNotifications(): Promise<NotifyMeasurement> {
  const cloud = await startLocalCloud({ certificatesDir, scenario: scenario(), behaviour: { latencyMs: { ...BENCH_LATENCY } } });
  const azurite = await startAzurite(azuriteCpuProfile);
  try {
    const sinks = cloud.endpoints.sinks;
    const runtime: Runtime = createRuntime(
      loadSettings({
        VIGIL_TENANT_ID: HOME,
        VIGIL_CLIENT_ID: cloud.seed!.appIds['Vigil']!,
        VIGIL_CLIENT_SECRET: VIGIL_SECRET,
        VIGIL_CLOUD_ENDPOINTS: JSON.stringify({
          global: { login: cloud.endpoints.clouds.global!.login, graph: cloud.endpoints.clouds.global!.graph },
        }),
        VIGIL_KEY_VAULT_URLS: cloud.endpoints.vaults[VAULT]!,
        AzureWebJobsStorage: azurite.connectionString,
        VIGIL_ROUTES: JSON.stringify(routes(sinks)),
        VIGIL_MAIL_SENDER: SENDER,
        VIGIL_DIGEST_WINDOW_SECONDS: String(WINDOW_SECONDS),
      }),
    );
    // Teams Workflows URLs are their credential: in the vault, as an operator stores them.
    const teamsChannels = [
      'ops',
      ...Array.from({ length: CUSTOMERS }, (_, c) => c)
        .filter(hasTeams)
        .map((c) => `customer-${c}`),
    ];
    const { SecretClient } = await import('@azure/keyvault-secrets');
    const secrets = new SecretClient(cloud.endpoints.vaults[VAULT]!, runtime.credential, { disableChallengeResourceVerification: true });
    for (const channel of teamsChannels) await secrets.setSecret(`teams-${channel}-url`, `${sinks}/teams/${channel}?sig=bench-${channel}`);

    const data = cloud.context.store.data;
    const now = DateTime.utc();
    const events = Array.from({ length: TENANTS }, (_, t) => Array.from({ length: FINDINGS_PER_TENANT }, (_, k) => finding(t, k, now)));
    // A publish that fails (storage timing out on a loaded machine) fails its scan's message, which the host runs again.
    let publishRetries = 0;
    const publish = async (mine: VigilEvent[]): Promise<void> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await runtime.events.publish(mine);
        } catch (error) {
          if (attempt >= queueHostOptions.maxDequeueCount) throw error;
          publishRetries += 1;
        }
      }
    };
    const publishStart = performance.now();
    for (let t = 0; t < TENANTS; t += MAX_IN_FLIGHT) await Promise.all(events.slice(t, t + MAX_IN_FLIGHT).map(publish));
    const publishMs = performance.now() - publishStart;
    const earlyMails = data.mail.length;

    // Each window ends: its flush ticket turns visible. Run it and the outbox as the host does until the
    // outbox is empty. A cycle that straddled a window's end has two buckets, 300 s apart in production:
    // they are flushed one after the other here, each once the one before has drained.
    const buckets = (await runtime.notifications.lifecycle!.digests.listBuckets()).filter((b) => b !== 'daily').sort();
    const flush = asQueueFunction(flushDigestQueue).handler;
    const outbox = runtime.queue(queueNames.outbox);
    const failures: string[] = [];
    let drainMs = 0;
    const floors: Array<{ ms: number; how: string }> = [];
    for (const bucket of buckets) {
      const before = { mails: data.mail.length, others: data.teams.length + data.webhooks.length };
      const flushedAt = Date.now();
      // The outbox listener runs beside the flush, as the host runs them: a ticket is picked up once queued,
      // not once the flush has also removed the bucket's items.
      let flushed = false;
      const flushing = flush(
        { bucket },
        createInvocationContext(flushDigestQueue.name, () => undefined),
        runtime,
      ).finally(() => (flushed = true));
      // Awaited after the drain; marked handled so a failing flush does not end the process before that.
      flushing.catch(() => undefined);
      for (;;) {
        const wasFlushed = flushed;
        await drainQueuesLikeHost(
          [deliverNotificationQueue],
          runtime,
          (name) => runtime.queue(name),
          (_n, level, line) => {
            if (level === 'error') failures.push(line);
          },
        );
        const { approximateMessagesCount } = await outbox.getProperties();
        if (wasFlushed && !approximateMessagesCount) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await flushing;
      const delivered = [...data.mail.slice(before.mails), ...data.teams, ...data.webhooks].map((r) => Date.parse(r.receivedAt));
      drainMs += Math.max(0, ...delivered.map((at) => at - flushedAt));
      floors.push(drainFloor(data.mail.length - before.mails, data.teams.length + data.webhooks.length - before.others));
    }
    if (failures.length > 0) throw new Error(`${failures.length} delivery attempt(s) failed, the first: ${failures[0]}`);

    const recipients = new Map<string, number>();
    for (const mail of data.mail) {
      const body = JSON.parse(mail.body) as { message: { toRecipients: Array<{ emailAddress: { address: string } }> } };
      for (const r of body.message.toRecipients) recipients.set(r.emailAddress.address, (recipients.get(r.emailAddress.address) ?? 0) + 1);
    }
    const cardsPerChannel = new Map<string, number>();
    for (const card of data.teams) cardsPerChannel.set(card.path.split('?')[0]!, (cardsPerChannel.get(card.path.split('?')[0]!) ?? 0) + 1);
    // Per sending mailbox, as Exchange counts: the most mails any 60 s received from it.
    const mostMailsPerMinute = Math.max(
      0,
      ...[...new Set(data.mail.map((m) => m.sender))].map((sender) => {
        const sentAt = data.mail.filter((m) => m.sender === sender).map((m) => Date.parse(m.receivedAt));
        return Math.max(...sentAt.map((t) => sentAt.filter((u) => u >= t && u < t + 60_000).length));
      }),
    );
    return {
      events: TENANTS * FINDINGS_PER_TENANT,
      publishRetries,
      publishMs,
      drainMs,
      mails: data.mail.length,
      mostMailsPerRecipient: Math.max(...recipients.values()),
      mostCardsPerChannel: Math.max(...cardsPerChannel.values()),
      windows: Math.max(buckets.length, 1),
      cards: data.teams.length,
      webhooks: data.webhooks.length,
      unverifiedWebhooks: data.webhooks.filter((w) => !w.verified).length,
      sentBeforeWindowEnd: earlyMails,
      mostMailsPerMinute,
      floor: { ms: floors.reduce((sum, f) => sum + f.ms, 0), how: floors.map((f) => f.how).join(' + ') },
    };
  } finally {
    await azurite.stop();
    await cloud.stop();
  }
}

/**
 * The shortest drain the channels allow: one mailbox sends at most 30 mails in any minute, so `mails` need
 * floor((mails − 1) / 30) whole minutes before the last one, which then takes a Graph request; and every
 * mail is a sendMail request at Graph's latency, at most 4 at once per mailbox (Teams and webhook sinks carry no latency).
 */
export function drainFloor(mails: number, others: number): { ms: number; how: string } {
  const perMinute = CHANNEL_LIMITS.mailPerMinutePerMailbox;
  const minutes = Math.floor(Math.max(mails - 1, 0) / perMinute);
  const limitMs = minutes * 60_000 + BENCH_LATENCY.graph;
  const concurrent = Math.min(CHANNEL_LIMITS.sendMailConcurrentPerMailbox, MAX_IN_FLIGHT);
  const latencyMs = Math.ceil(mails / concurrent) * BENCH_LATENCY.graph;
  const how =
    `max(Exchange ${perMinute} mails/min per mailbox: ${minutes} whole minutes before the last of ${mails} mails + its sendMail ${BENCH_LATENCY.graph} ms = ${seconds(limitMs)},` +
    ` ${mails} sendMail × ${BENCH_LATENCY.graph} ms, ${concurrent} at once per mailbox = ${seconds(latencyMs)}; ${others} Teams cards and webhooks: no published limit, no injected latency)`;
  return { ms: Math.max(limitMs, latencyMs), how };
}

/** The notifications case of issue 15, as figures. */
export async function runNotifyBench(write: (line: string) => void = console.log): Promise<BenchFigure[]> {
  write('');
  write(
    `Notifications benchmark: one hourly cycle, ${FINDINGS_PER_TENANT === 1 ? 'a finding' : `${String(FINDINGS_PER_TENANT)} findings`} in each of ${TENANTS.toLocaleString('en-US')} tenants of ${CUSTOMERS} customers;`,
  );
  write(
    `routes: the MSP's ops (mail + Teams) and per customer its contact's mail, Teams for every 10th, a signed webhook for every 5th; ${WINDOW_SECONDS} s digest windows.`,
  );
  write(
    `Channel limits: Exchange Online ${CHANNEL_LIMITS.mailPerMinutePerMailbox} mails a minute per mailbox; Graph sendMail ${CHANNEL_LIMITS.sendMailConcurrentPerMailbox} concurrent requests per mailbox; Teams Workflows none published (legacy connectors ${CHANNEL_LIMITS.teamsPerSecondPerWebhook}/s); webhooks none.`,
  );
  write(`Injected latency: Graph ${BENCH_LATENCY.graph} ms (sendMail), Key Vault ${BENCH_LATENCY.keyvault} ms (channel secrets).`);
  const m = await measureNotifications();
  write(
    `  ${m.events.toLocaleString('en-US')} events published in ${seconds(m.publishMs)} (${m.publishRetries} publishes run again) over ${m.windows} window(s); outbox drained ${seconds(m.drainMs)} after the window's end (summed over windows) (floor ${seconds(m.floor.ms)})`,
  );
  write(
    `  delivered: ${m.mails} mails (at most ${m.mostMailsPerRecipient} to one recipient), ${m.cards} Teams cards (at most ${m.mostCardsPerChannel} to one channel), ${m.webhooks} webhooks (${m.unverifiedWebhooks} failing signature checks); at most ${m.mostMailsPerMinute} mails from the mailbox in any minute`,
  );
  const label = `notifications, one hourly cycle, findings in all ${TENANTS.toLocaleString('en-US')} tenants`;
  const figures = [
    atMost(label, 'mails per route ÷ windows', m.mostMailsPerRecipient / m.windows, 1, `${m.mostMailsPerRecipient} ÷ ${m.windows}`),
    atMost(label, 'Teams cards per channel ÷ windows', m.mostCardsPerChannel / m.windows, 1, `${m.mostCardsPerChannel} ÷ ${m.windows}`),
    atMost(label, 'mails from one mailbox in any minute', m.mostMailsPerMinute, CHANNEL_LIMITS.mailPerMinutePerMailbox),
    atMost(label, 'mails sent before the window ended', m.sentBeforeWindowEnd, 0),
    atMost(label, 'outbox drain ÷ floor', m.drainMs / m.floor.ms, 1.2, m.floor.how),
  ];
  for (const g of figures) write(describeFigure(g));
  return figures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const json = process.argv.includes('--json');
  const figures = await runNotifyBench(json ? (line) => console.error(line) : console.log);
  if (json) for (const g of figures) console.log(JSON.stringify(g));
  process.exit(0);
}
