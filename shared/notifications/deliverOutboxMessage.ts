import type { DateTime } from 'luxon';
import { describeError } from '../helpers/describeError.js';
import type { Channels, ChannelOutcome } from './ChannelOutcome.js';
import type { RenderOptions } from './describeItem.js';
import type { OutboxMessage } from './OutboxMessage.js';
import type { SendBudget, SendTurn } from './OutboxPorts.js';
import type { ReconnectLinks } from './ReconnectPorts.js';
import type { RoutesConfig } from './routesConfig.js';
import { cloudEventBatchContentType, cloudEventContentType, toCloudEvent } from './toCloudEvent.js';
import { toMailDigest } from './toMailDigest.js';
import { toTeamsCard } from './toTeamsCard.js';
import { channelConfigOf } from './channelConfigOf.js';
import { toPagerDutyEvent } from './toPagerDutyEvent.js';
import { toSlackMessage } from './toSlackMessage.js';
import { renderWithReconnectOffers, withReconnectOffers } from './withReconnectOffers.js';

export type DeliveryAttempt =
  | ChannelOutcome
  | { kind: 'notConfigured'; reason: string }
  /** Not sent and not failed: the sender's budget is spent; the message comes back in `ms`. */
  | { kind: 'deferred'; ms: number; reason: string };

/** What sending one outbox message needs. */
export interface SendDeps {
  config: RoutesConfig;
  channels: Channels;
  render: RenderOptions;
  /** Mints a reconnect link per token alert as a mail, card or Slack message is sent; absent without sign-in links. */
  reconnect?: ReconnectLinks | undefined;
}

/** One attempt's outcome, the delivery log's note, and what went wrong on the way without stopping it. */
export interface Sent {
  attempt: DeliveryAttempt;
  note: string;
  warning?: string;
}

const notConfigured = (reason: string): Sent => ({
  attempt: { kind: 'notConfigured', reason },
  note: '',
});

/** How much of a digest a card or Slack message shows, for the delivery log. */
const shownNote = (m: { shown: number; omitted: number }): string =>
  `${m.shown} shown${m.omitted > 0 ? `, ${m.omitted} summarised as "and more"` : ''}`;

/**
 * Renders one outbox message for its channel and makes one attempt to send it. Reconnect links are
 * minted only once the message can go: after its channel's configuration check (and for mail its
 * recipients), and only for the items a card or Slack message has room to show. A mail mints before its
 * send turn, so a mail that must wait mints again when it comes back: the links of the first try were
 * never shown to anyone, and only their hashes stay, unusable, until the sign-in sweep drops them.
 */
export async function deliverOutboxMessage(message: OutboxMessage, deps: SendDeps, now: DateTime): Promise<Sent> {
  const { config, channels } = deps;
  const route = config.routes[message.route];
  if (!route) return notConfigured(`route ${message.route} is no longer configured`);
  switch (message.channel.kind) {
    case 'mail': {
      if (!route.mail || !channels.mail) return notConfigured('mail is not configured (route mail or VIGIL_MAIL_SENDER)');
      const owners = route.mail.includeAppOwners
        ? await channels.owners.mailOwnersOf(message.items.map((i) => ({ tenantId: i.event.tenantId, ...i.event.subject })))
        : { addresses: [], unread: undefined };
      const to = route.mail.to.length > 0 ? route.mail.to : owners.addresses;
      const cc =
        route.mail.to.length > 0 ? owners.addresses.filter((o) => !route.mail!.to.some((t) => t.toLowerCase() === o.toLowerCase())) : [];
      // With the owners the only recipients, an owner lookup that failed (a Graph outage) is no "no owners": tried again.
      if (to.length === 0 && owners.unread)
        return { attempt: { kind: 'failed', reason: `no recipients yet: ${owners.unread}`, permanent: false }, note: '' };
      if (to.length === 0)
        return { attempt: { kind: 'failed', reason: 'no recipients: the apps have no owners with a mailbox', permanent: true }, note: '' };
      // Links are minted and the digest rendered before the turn is taken: the window's 5 s margin covers
      // turn to Exchange, not a Key Vault read, a Graph read and a table write per link.
      const render = await withReconnectOffers(message, deps.render, deps.reconnect, now);
      const digest = toMailDigest(message.route, message.items, render, now);
      const turn = await takeTurn(channels.mail.budget, message.id);
      if (turn.kind === 'wait') return { attempt: { kind: 'deferred', ms: turn.ms, reason: turn.reason }, note: '' };
      try {
        const attempt = await channels.mail.sender.send({ to, cc, subject: digest.subject, html: digest.html, text: digest.text });
        return { attempt, note: `subject "${digest.subject}" to ${to.length + cc.length} recipient(s)`, ...warningOf(turn) };
      } finally {
        turn.release();
      }
    }
    case 'teams': {
      const channel = channelConfigOf(route, message.channel);
      if (!channel) return notConfigured(`Teams channel ${message.channel.name} is no longer configured on route ${message.route}`);
      const card = await renderWithReconnectOffers(message, deps.render, deps.reconnect, now, (r) =>
        toTeamsCard(message.route, message.items, r, now),
      );
      const attempt = await channels.teams.post(channel, card.envelope);
      return {
        attempt,
        note: `${shownNote(card)}, ${card.bytes} bytes`,
      };
    }
    case 'slack': {
      const channel = channelConfigOf(route, message.channel);
      if (!channel) return notConfigured(`Slack channel ${message.channel.name} is no longer configured on route ${message.route}`);
      const slack = await renderWithReconnectOffers(message, deps.render, deps.reconnect, now, (r) =>
        toSlackMessage(message.route, message.items, r, now),
      );
      const attempt = await channels.slack.post(channel, slack.body);
      return {
        attempt,
        note: `${shownNote(slack)}, ${slack.body.blocks.length} blocks`,
      };
    }
    case 'pagerduty': {
      const service = channelConfigOf(route, message.channel);
      if (!service) return notConfigured(`PagerDuty service ${message.channel.name} is no longer configured on route ${message.route}`);
      const item = message.items[0];
      const event = item && toPagerDutyEvent(item, deps.render, now);
      if (!item || !event) return notConfigured('nothing in this message pages PagerDuty');
      // The limit is the integration key's: services that share one key (by its secret's name, never its value) share a budget.
      const turn = await takeTurn(channels.pagerDuty.budget(service.routingKeySecretName), message.id);
      if (turn.kind === 'wait') return { attempt: { kind: 'deferred', ms: turn.ms, reason: turn.reason }, note: '' };
      try {
        const attempt = await channels.pagerDuty.sender.send(service, event);
        return { attempt, note: `${String(event.event_action)} ${item.findingId}`, ...warningOf(turn) };
      } finally {
        turn.release();
      }
    }
    case 'webhook': {
      const endpoint = channelConfigOf(route, message.channel);
      if (!endpoint) return notConfigured(`webhook endpoint ${message.channel.name} is no longer configured on route ${message.route}`);
      const item = message.items[0];
      if (!item) return notConfigured('empty webhook message');
      // A batch endpoint always gets an array; several events planned as one batch stay one even if the endpoint changed since.
      if (endpoint.batch || message.items.length > 1) {
        const events = message.items.map((i) => toCloudEvent(i, deps.render.publicBaseUrl));
        const attempt = await channels.webhooks.post(endpoint, {
          id: `msg_${message.id}`,
          body: JSON.stringify(events),
          contentType: cloudEventBatchContentType,
          now,
        });
        return { attempt, note: `a batch of ${events.length} event(s)` };
      }
      const event = toCloudEvent(item, deps.render.publicBaseUrl);
      const attempt = await channels.webhooks.post(endpoint, {
        id: `msg_${message.id}`,
        body: JSON.stringify(event),
        contentType: cloudEventContentType,
        now,
      });
      return { attempt, note: `${event.type} for ${item.findingId}` };
    }
  }
}

/**
 * The sender's turn. A budget store that cannot be read or written does not hold a message back: Exchange
 * delays mail over its rate rather than refusing it, and PagerDuty's 429 is retried as an attempt, so
 * sending unpaced risks a delay, while holding or failing the message on a bookkeeping row would keep an
 * alert from its reader. It is sent, with a warning.
 */
async function takeTurn(budget: SendBudget, id: string): Promise<SendTurn> {
  try {
    return await budget.take(id);
  } catch (error) {
    return {
      kind: 'go',
      release: () => undefined,
      warning: `sent without the send budget, which could not be kept: ${describeError(error)}`,
    };
  }
}

const warningOf = (turn: { warning?: string }): { warning?: string } => (turn.warning ? { warning: turn.warning } : {});
