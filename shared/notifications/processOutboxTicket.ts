import { createHash } from 'node:crypto';
import type { DateTime } from 'luxon';
import type { EventPublisher } from '../events/EventPublisher.js';
import { newEvent } from '../events/newEvent.js';
import type { Channels } from './ChannelOutcome.js';
import type { RenderOptions } from './describeItem.js';
import { deliverOutboxMessage, type Attempt } from './deliverOutboxMessage.js';
import { channelLabel, type OutboxMessage, type OutboxTicket } from './OutboxMessage.js';
import type { DeliveryLog, DeliveryLogEntry, EndpointSwitch, OutboxQueue, OutboxStore } from './OutboxPorts.js';
import { retryDelay, type BackoffPolicy } from './retryDelay.js';
import type { RoutesConfig } from './routesConfig.js';

export interface DeliveryDeps {
  config: RoutesConfig;
  channels: Channels;
  outbox: OutboxStore;
  queue: OutboxQueue;
  log: DeliveryLog;
  endpoints: EndpointSwitch;
  /** Where a poisoned delivery is reported: the notification pipeline, which routes it to the default route. */
  report: EventPublisher;
  render: RenderOptions;
  backoff: BackoffPolicy;
  homeTenantId: string;
  random: () => number;
}

export type TicketResult = { kind: 'alreadyHandled' } | { kind: DeliveryLogEntry['outcome']; detail: string; retryInMs?: number };

/**
 * Handles one outbox ticket: one attempt, then delivered, retried later (re-enqueued with a visibility
 * delay: exponential backoff, or exactly the receiver's Retry-After), or parked in the poison queue after
 * `maxAttempts` or on `410 Gone` (which also disables the endpoint) and reported on the default route.
 * A ticket whose message is gone was handled already (queues deliver at least once): nothing happens.
 */
export async function processOutboxTicket(ticket: OutboxTicket, deps: DeliveryDeps, now: DateTime): Promise<TicketResult> {
  const message = await deps.outbox.load(ticket.id);
  if (!message) return { kind: 'alreadyHandled' };
  const label = channelLabel(message.channel);
  const fingerprint = fingerprintOf(message, deps.config);
  const entry = (outcome: DeliveryLogEntry['outcome'], detail: string, retryInMs?: number): DeliveryLogEntry => ({
    at: now.toUTC().toISO()!,
    messageId: message.id,
    route: message.route,
    channel: label,
    attempt: ticket.attempt,
    outcome,
    detail,
    ...(retryInMs === undefined ? {} : { retryInMs }),
    items: message.items.length,
    findings: [...new Set(message.items.map((i) => i.findingId))],
    types: [...new Set(message.items.map((i) => i.event.type))],
  });
  const finish = async (e: DeliveryLogEntry): Promise<TicketResult> => {
    await deps.log.record(e);
    return { kind: e.outcome, detail: e.detail, ...(e.retryInMs === undefined ? {} : { retryInMs: e.retryInMs }) };
  };

  if (await deps.endpoints.isDisabled(label, fingerprint)) {
    await deps.outbox.remove(message.id);
    return finish(entry('dropped', `${label} is disabled: it answered 410 Gone; change its configuration to enable it again`));
  }
  const { attempt, note } = await deliverOutboxMessage(message, deps.config, deps.channels, deps.render, now);
  if (attempt.kind === 'delivered' || attempt.kind === 'notConfigured') {
    await deps.outbox.remove(message.id);
    return finish(attempt.kind === 'delivered' ? entry('delivered', note) : entry('dropped', attempt.reason));
  }
  if (isRetryable(attempt) && ticket.attempt < deps.backoff.maxAttempts) {
    const delay = retryDelay(ticket.attempt, attempt.kind === 'retryAfter' ? attempt.ms : undefined, deps.backoff, deps.random);
    await deps.queue.enqueue({ id: message.id, attempt: ticket.attempt + 1 }, delay);
    return finish(entry('retrying', attempt.reason, delay));
  }
  const gone = attempt.kind === 'gone';
  if (gone) await deps.endpoints.disable(label, fingerprint, attempt.reason, now.toUTC().toISO()!);
  await deps.queue.poison(ticket);
  const result = await finish(
    entry('poisoned', `${attempt.reason}${gone ? '; endpoint disabled' : ` (after ${ticket.attempt} attempt(s))`}`),
  );
  // A failed report is not reported again: the dedupe key would hold it back anyway, this makes it certain.
  if (!message.items.some((i) => i.event.type === 'delivery.failed'))
    await deps.report.publish([failureEvent(message, label, ticket.attempt, attempt.reason, gone, deps.homeTenantId, now)]);
  return result;
}

function isRetryable(attempt: Attempt): attempt is Extract<Attempt, { kind: 'retryAfter' | 'failed' }> {
  return attempt.kind === 'retryAfter' || (attempt.kind === 'failed' && !attempt.permanent);
}

/** A changed URL or secret name is a new endpoint: the 410 of the old one no longer applies. */
function fingerprintOf(message: OutboxMessage, config: RoutesConfig): string {
  const route = config.routes[message.route];
  const channel = message.channel;
  const settings =
    channel.kind === 'mail'
      ? route?.mail
      : channel.kind === 'teams'
        ? route?.teams.find((t) => t.name === channel.name)
        : route?.webhooks.find((w) => w.name === channel.name);
  return createHash('sha256')
    .update(JSON.stringify(settings ?? null))
    .digest('hex')
    .slice(0, 16);
}

function failureEvent(
  message: OutboxMessage,
  label: string,
  attempts: number,
  reason: string,
  disabled: boolean,
  tenantId: string,
  now: DateTime,
) {
  const what = `${message.items.length} notification(s) (${[...new Set(message.items.map((i) => i.event.type))].join(', ')})`;
  return newEvent(
    {
      type: 'delivery.failed',
      tenantId,
      subject: { kind: 'channel', id: `${message.route}/${label}`, displayName: `${label} on route ${message.route}` },
      severity: 'high',
      summary: `Vigil could not deliver ${what} to ${label} on route ${message.route}: ${reason}.`,
      impact: `Whoever reads ${label} did not get these notifications${disabled ? ', and will get none until the endpoint is fixed' : ''}.`,
      fix: disabled
        ? `The endpoint answered 410 Gone and is disabled. Fix or replace it in VIGIL_ROUTES (a changed URL or secret name enables it again); the message waits in the vigil-outbox-poison queue.`
        : `Check that ${label} is reachable and its secret in Key Vault is current; the message waits in the vigil-outbox-poison queue.`,
      dedupeKey: `delivery.failed|${message.route}|${label}|${disabled ? 'gone' : 'exhausted'}`,
      data: { channel: label, route: message.route, attempts, reason, disabled },
    },
    now,
  );
}
