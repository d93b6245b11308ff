import type { DateTime } from 'luxon';
import type { SendBudget } from './OutboxPorts.js';
import type { RouteConfig } from './routesConfig.js';

/**
 * What a channel adapter reports for one attempt. Adapters translate HTTP and SDK errors into these;
 * reasons are secret-free (status, service error code), never a URL with `sig=` or a signing key.
 */
export type ChannelOutcome =
  /** `note`: how it was delivered, when that is worth a line in the delivery log (a secret served from memory). */
  | { kind: 'delivered'; note?: string }
  | { kind: 'retryAfter'; ms: number; reason: string }
  | { kind: 'gone'; reason: string }
  | { kind: 'failed'; reason: string; permanent: boolean };

export interface OutgoingMail {
  to: string[];
  cc: string[];
  subject: string;
  html: string;
  /** The plain-text alternative, sent as a `text/plain` attachment (see docs/notifications.md). */
  text: string;
}

export interface MailSender {
  send(mail: OutgoingMail): Promise<ChannelOutcome>;
}

export type TeamsChannel = RouteConfig['teams'][number];
export interface TeamsPoster {
  post(channel: TeamsChannel, message: unknown): Promise<ChannelOutcome>;
}

export type SlackChannel = RouteConfig['slack'][number];
export interface SlackPoster {
  /** Posts a Block Kit message to the channel's incoming webhook (its URL is a Key Vault secret). */
  post(channel: SlackChannel, message: unknown): Promise<ChannelOutcome>;
}

export type PagerDutyService = RouteConfig['pagerduty'][number];
/** A PagerDuty Events API v2 event without its `routing_key`, which the adapter adds from Key Vault. */
export type PagerDutyEventBody = Record<string, unknown>;
export interface PagerDutySender {
  send(service: PagerDutyService, event: PagerDutyEventBody): Promise<ChannelOutcome>;
}

/** PagerDuty: its sender and each integration key's send budget (the Events API's limit), taken just before each event. */
export interface PagerDutyChannel {
  sender: PagerDutySender;
  /** By the name of the key's secret, never its value. */
  budget(routingKeySecretName: string): SendBudget;
}

export type WebhookEndpoint = RouteConfig['webhooks'][number];
export interface WebhookPoster {
  /** `id` is the stable `webhook-id`; `now` is this attempt's `webhook-timestamp`. */
  post(endpoint: WebhookEndpoint, delivery: { id: string; body: string; contentType: string; now: DateTime }): Promise<ChannelOutcome>;
}

/**
 * Mail addresses of the owners of the apps an outbox message is about, and `unread`: one secret-free line naming
 * the lookups that failed, if any (a mail whose only recipients are the owners must not read a Graph outage as
 * "no owners").
 */
export interface OwnerDirectory {
  mailOwnersOf(subjects: ReadonlyArray<{ tenantId: string; kind: string; id: string }>): Promise<MailOwners>;
}

export interface MailOwners {
  addresses: string[];
  unread: string | undefined;
}

/** Mail, when Vigil has a sender mailbox: its sender and its send budget, which exist only together. */
export interface MailChannel {
  sender: MailSender;
  /** The mailbox's budget (Exchange Online's limits), taken just before each mail is sent. */
  budget: SendBudget;
}

export interface Channels {
  mail: MailChannel | undefined;
  teams: TeamsPoster;
  slack: SlackPoster;
  pagerDuty: PagerDutyChannel;
  webhooks: WebhookPoster;
  owners: OwnerDirectory;
}
