import { randomUUID } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import type { Client } from '@microsoft/microsoft-graph-client';
import type { QueueClient } from '@azure/storage-queue';
import { DateTime } from 'luxon';
import type { CloudEndpoints } from '../cloud/cloudEndpoints.js';
import type { EventPublisher } from '../events/EventPublisher.js';
import { createOwnerDirectory } from '../adapters/graph/createOwnerDirectory.js';
import { createSecretCache } from '../adapters/keyVault/createSecretCache.js';
import { createSecretClient } from '../adapters/keyVault/createSecretClient.js';
import { createGraphMailSender, maxConcurrentPerMailbox } from '../adapters/mail/createGraphMailSender.js';
import { createMailGraphClient } from '../adapters/mail/createMailGraphClient.js';
import { createDeliveryLogTable } from '../adapters/storage/deliveryLogTable.js';
import { createDigestTickets, createSnoozeAlarms } from '../adapters/storage/digestQueues.js';
import { createDigestTable } from '../adapters/storage/digestTable.js';
import { createNotificationStateTable } from '../adapters/storage/notificationStateTable.js';
import { createOutboxQueue } from '../adapters/storage/outboxQueue.js';
import { createOutboxTable } from '../adapters/storage/outboxTable.js';
import { createPoisonQueues } from '../adapters/storage/poisonQueues.js';
import { createSendBudgetTable } from '../adapters/storage/sendBudgetTable.js';
import { poisonQueueOf, queueNames } from '../adapters/storage/queueNames.js';
import { createTeamsPoster } from '../adapters/teams/createTeamsPoster.js';
import { createPagerDutySender } from '../adapters/pagerduty/createPagerDutySender.js';
import { createSlackPoster } from '../adapters/slack/createSlackPoster.js';
import { createWebhookPoster } from '../adapters/webhooks/createWebhookPoster.js';
import type { SnoozeEndDeps } from '../notifications/announceSnoozeEnd.js';
import { createNotificationPipeline } from '../notifications/createNotificationPipeline.js';
import type { FlushDeps } from '../notifications/flushDigest.js';
import type { NotificationState } from '../notifications/NotificationState.js';
import type { ReconnectLinks } from '../notifications/ReconnectPorts.js';
import type { ReminderDeps } from '../notifications/remindOpenFindings.js';
import type { ReminderPolicy } from '../notifications/reminderPolicy.js';
import type { DeliveryLog, OutboxClaims, OutboxQueue, OutboxStore, SendBudget } from '../notifications/OutboxPorts.js';
import type { SnoozeLimits } from '../notifications/planSnooze.js';
import type { DeliveryDeps } from '../notifications/processOutboxTicket.js';
import type { PoisonWatchDeps } from '../notifications/watchPoisonQueues.js';
import type { Telemetry } from '../telemetry/Telemetry.js';
import type { Settings } from '../settings/settingsSchema.js';

/** Channel secrets change rarely; a new Teams URL or signing key is picked up within this time. */
const secretCacheMs = 5 * 60_000;
const backoffCapMs = 3_600_000;
/**
 * Exchange Online takes 30 messages a minute from one mailbox (learn.microsoft.com/office365/servicedescriptions/
 * exchange-online-service-description/exchange-online-limits, "Sending limits") and Graph 4 sendMail requests
 * at once per mailbox (learn.microsoft.com/graph/throttling-limits, Outlook). Each mail takes its turn from
 * the sender's budget just before it is sent (sendBudgetTable.ts). The window is 5 s longer than a
 * minute: a mail back from the queue up to 2 s after its kept slot (visibility delays are whole seconds)
 * still sends on it, and what happens between the turn and Exchange's receipt (the budget row's write and
 * the request itself; reconnect links and rendering come before the turn) has the other 3 s, so neither can squeeze 31 into a
 * minute at Exchange. Up to 8 minutes of mail keeps a slot in turn.
 */
const mailBudget = { max: 30, windowMs: 65_000, lateMs: 2_000, maxReserved: 240 };
/**
 * PagerDuty's Events API v2 takes "approximately 120 calls a minute per integration key", counted over the
 * 60 s before each call, and refuses the rest with 429 without ingesting them
 * (developer.pagerduty.com/docs/events-API-v2/rate-limits). Each event takes its turn from its service's
 * key's budget just before it is sent, with the mail budget's margins; 2 minutes of events keep a slot in turn
 * (the row stays well under a property's 64 KiB). A 429 that still comes (another sender on the key) is
 * retried as an attempt.
 */
const pagerDutyBudget = { max: 120, windowMs: 65_000, lateMs: 2_000, maxReserved: 240 };
/** PagerDuty does not limit events at once; this many per key and instance keep a flush from opening hundreds of requests. */
const pagerDutyInFlight = 8;
/** Each budgeted channel's limit, and its sends at once per instance (per mailbox; per PagerDuty key). */
const sendLimits = {
  mail: { limit: mailBudget, inFlight: maxConcurrentPerMailbox },
  pagerduty: { limit: pagerDutyBudget, inFlight: pagerDutyInFlight },
} as const;
/** A flush's first spread, so that a big flush does not wake every message at once only to wait: each at its budget's pace (the budget decides at send time). */
const spacing = {
  mail: { count: mailBudget.max, everyMs: mailBudget.windowMs },
  pagerduty: { count: pagerDutyBudget.max, everyMs: pagerDutyBudget.windowMs },
};

/** What the reminder timer, the digest flush and the snooze end need: one object serves all three. */
export type NotificationLifecycle = ReminderDeps & SnoozeEndDeps & FlushDeps;
/**
 * How long one attempt holds its message: far longer than an attempt takes (each outbound call is bounded
 * by VIGIL_DELIVERY_TIMEOUT_SECONDS, at most 30 s), so a live holder never loses it, and short enough
 * that a crashed holder's message moves on within minutes.
 */
const claimMs = 3 * 60_000;
const hourMs = 3_600_000;
/** A failure report with no items of its own reaches a channel at most once a day, as the daily reminder walk does. */
const reportEveryMs = 24 * hourMs;
/** Parked messages the watcher reads per queue and run: a deeper backlog is reported over the next runs. */
const poisonReadsPerRun = 256;

export interface Notifications {
  /** The `EventPublisher` producers see: event log, routing, dedupe, outbox. */
  readonly events: EventPublisher;
  /** What the outbox queue function needs; `undefined` routes mean nothing is ever enqueued. */
  readonly delivery: DeliveryDeps | undefined;
  readonly state: NotificationState;
  readonly log: DeliveryLog;
  readonly outbox: OutboxStore & OutboxClaims;
  readonly queue: OutboxQueue;
  readonly snoozeLimits: SnoozeLimits;
  /** Reminders, digest flushes and snooze ends; `undefined` without routes. */
  readonly lifecycle: NotificationLifecycle | undefined;
  /** What the poison-queue watcher reads and reports with; its `poison` also gives the status page its depth. */
  readonly watcher: PoisonWatchDeps;
  newId: () => string;
}

export interface NotificationParts {
  settings: Settings;
  /** Vigil's own, keeping its tokens (withSharedToken): the mail sender's Graph token is the home Graph's. */
  credential: TokenCredential;
  home: CloudEndpoints;
  homeGraph: Client;
  eventLog: EventPublisher;
  /** Vigil's log: an app whose owners could not be read for a mail's copy. */
  telemetry: Telemetry;
  table(name: 'notifyState' | 'outbox' | 'deliveries' | 'digests' | 'sendBudget'): TableClient;
  queue: (name: string) => QueueClient;
  /** Mints a token alert's reconnect link as its mail, card or Slack message is sent (absent: none is offered). */
  reconnect?: ReconnectLinks;
  /**
   * The clock the channel-secret cache and the send budgets run on (a mail's turn is dated by it): the wall
   * clock unless given. Tests that move the local cloud's clock pass theirs, as the mail sink's agrees.
   */
  nowMs?: () => number;
}

/** Builds the notification pipeline and its delivery side from the settings. */
export function createNotifications(parts: NotificationParts): Notifications {
  const { settings } = parts;
  const state = createNotificationStateTable(parts.table('notifyState'));
  const outbox = createOutboxTable(parts.table('outbox'));
  const queue = createOutboxQueue(parts.queue);
  const log = createDeliveryLogTable(parts.table('deliveries'));
  const newId = () => randomUUID();
  const config = settings.VIGIL_ROUTES;
  const commit = {
    state,
    digests: createDigestTable(parts.table('digests')),
    tickets: createDigestTickets(parts.queue),
    windowSeconds: settings.VIGIL_DIGEST_WINDOW_SECONDS,
    clock: () => DateTime.utc(),
    newId,
    ticketed: new Set<string>(),
  };
  const policy: ReminderPolicy = {
    withinDays: settings.VIGIL_REMINDER_WITHIN_DAYS,
    maxAfterLapse: settings.VIGIL_REMINDERS_AFTER_LAPSE,
    thresholdsDays: settings.VIGIL_EXPIRY_THRESHOLDS_DAYS,
  };
  const events = createNotificationPipeline({ ...commit, eventLog: parts.eventLog, config, reminders: policy });
  const lifecycle: NotificationLifecycle | undefined = config && {
    ...commit,
    config,
    policy,
    alarms: createSnoozeAlarms(parts.queue),
    outbox,
    queue,
    spacing,
  };
  const vaultUrl = settings.VIGIL_NOTIFICATION_VAULT_URL ?? settings.VIGIL_KEY_VAULT_URLS[0]!;
  const secrets = createSecretCache(createSecretClient(vaultUrl, parts.credential), secretCacheMs, parts.nowMs);
  const timeoutMs = settings.VIGIL_DELIVERY_TIMEOUT_SECONDS * 1000;
  // A sender's budget: the mailbox, or a PagerDuty integration key by its secret's name (never its value).
  const sendBudgetOf = (channel: keyof typeof sendLimits, sender: string): SendBudget =>
    createSendBudgetTable(parts.table('sendBudget'), { channel, sender, ...sendLimits[channel], clock: parts.nowMs ?? Date.now });
  // One budget per PagerDuty integration key, made as its first event is sent.
  const pagerDutyBudgets = new Map<string, SendBudget>();
  const delivery: DeliveryDeps | undefined = config && {
    config,
    channels: {
      mail: settings.VIGIL_MAIL_SENDER
        ? {
            sender: createGraphMailSender(createMailGraphClient(parts.credential, parts.home), settings.VIGIL_MAIL_SENDER, timeoutMs),
            budget: sendBudgetOf('mail', settings.VIGIL_MAIL_SENDER),
          }
        : undefined,
      teams: createTeamsPoster(secrets, timeoutMs),
      slack: createSlackPoster(secrets, timeoutMs),
      pagerDuty: {
        sender: createPagerDutySender(secrets, timeoutMs),
        budget: (keyName) => {
          let budget = pagerDutyBudgets.get(keyName);
          if (!budget) pagerDutyBudgets.set(keyName, (budget = sendBudgetOf('pagerduty', `PagerDuty key ${keyName}`)));
          return budget;
        },
      },
      webhooks: createWebhookPoster(secrets, timeoutMs),
      owners: createOwnerDirectory(parts.homeGraph, settings.VIGIL_TENANT_ID, (line) => parts.telemetry.log('warn', line, {})),
    },
    mailEnabled: settings.VIGIL_MAIL_SENDER !== undefined,
    outbox,
    queue,
    log,
    endpoints: log,
    ledger: log,
    eventLog: parts.eventLog,
    state,
    findings: events,
    render: {
      portalBase: parts.home.portal,
      timeZone: settings.VIGIL_NOTIFY_TIME_ZONE,
      ...(settings.VIGIL_RUNBOOK_URL ? { runbookUrl: settings.VIGIL_RUNBOOK_URL } : {}),
      ...(settings.VIGIL_PUBLIC_BASE_URL ? { publicBaseUrl: settings.VIGIL_PUBLIC_BASE_URL } : {}),
    },
    reconnect: parts.reconnect,
    policy: {
      backoff: { baseMs: settings.VIGIL_DELIVERY_BACKOFF_SECONDS * 1000, capMs: backoffCapMs },
      deadlineMs: settings.VIGIL_DELIVERY_DEADLINE_HOURS * hourMs,
      infoDeadlineMs: settings.VIGIL_DELIVERY_INFO_DEADLINE_HOURS * hourMs,
      fallbackAfterMs: settings.VIGIL_DELIVERY_FALLBACK_MINUTES * 60_000,
      claimMs,
    },
    reportEveryMs,
    homeTenantId: settings.VIGIL_TENANT_ID,
    newId,
    random: Math.random,
  };
  return {
    events,
    delivery,
    state,
    log,
    outbox,
    queue,
    snoozeLimits: { maxDays: settings.VIGIL_SNOOZE_MAX_DAYS, expiryMarginDays: settings.VIGIL_SNOOZE_EXPIRY_MARGIN_DAYS },
    lifecycle,
    watcher: {
      queues: (Object.keys(queueNames) as Array<keyof typeof queueNames>).map((role) => ({
        role,
        queue: queueNames[role],
        poisonQueue: poisonQueueOf(queueNames[role]),
      })),
      poison: createPoisonQueues(parts.queue),
      delivery,
      maxPerRun: poisonReadsPerRun,
    },
    newId,
  };
}
