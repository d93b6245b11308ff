import type { DateTime } from 'luxon';
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

export type WebhookEndpoint = RouteConfig['webhooks'][number];
export interface WebhookPoster {
  /** `id` is the stable `webhook-id`; `now` is this attempt's `webhook-timestamp`. */
  post(endpoint: WebhookEndpoint, delivery: { id: string; body: string; contentType: string; now: DateTime }): Promise<ChannelOutcome>;
}

/** Mail addresses of the owners of the apps an outbox message is about. */
export interface OwnerDirectory {
  mailOwnersOf(subjects: ReadonlyArray<{ tenantId: string; kind: string; id: string }>): Promise<string[]>;
}

export interface Channels {
  mail: MailSender | undefined;
  teams: TeamsPoster;
  webhooks: WebhookPoster;
  owners: OwnerDirectory;
}
