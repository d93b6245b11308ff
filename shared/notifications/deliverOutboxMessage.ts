import type { DateTime } from 'luxon';
import type { Channels, ChannelOutcome } from './ChannelOutcome.js';
import type { RenderOptions } from './describeItem.js';
import type { OutboxMessage } from './OutboxMessage.js';
import type { RoutesConfig } from './routesConfig.js';
import { cloudEventBatchContentType, cloudEventContentType, toCloudEvent } from './toCloudEvent.js';
import { toMailDigest } from './toMailDigest.js';
import { toTeamsCard } from './toTeamsCard.js';
import { channelConfigOf } from './channelConfigOf.js';
import { toPagerDutyEvent } from './toPagerDutyEvent.js';
import { toSlackMessage } from './toSlackMessage.js';

export type DeliveryAttempt = ChannelOutcome | { kind: 'notConfigured'; reason: string };

const notConfigured = (reason: string): { attempt: DeliveryAttempt; note: string } => ({
  attempt: { kind: 'notConfigured', reason },
  note: '',
});

/** How much of a digest a card or Slack message shows, for the delivery log. */
const shownNote = (m: { shown: number; omitted: number }): string =>
  `${m.shown} shown${m.omitted > 0 ? `, ${m.omitted} summarised as "and more"` : ''}`;

/** Renders one outbox message for its channel and makes one attempt to send it. */
export async function deliverOutboxMessage(
  message: OutboxMessage,
  config: RoutesConfig,
  channels: Channels,
  render: RenderOptions,
  now: DateTime,
): Promise<{ attempt: DeliveryAttempt; note: string }> {
  const route = config.routes[message.route];
  if (!route) return notConfigured(`route ${message.route} is no longer configured`);
  switch (message.channel.kind) {
    case 'mail': {
      if (!route.mail || !channels.mail) return notConfigured('mail is not configured (route mail or VIGIL_MAIL_SENDER)');
      const digest = toMailDigest(message.route, message.items, render, now);
      const owners = route.mail.includeAppOwners
        ? await channels.owners.mailOwnersOf(message.items.map((i) => ({ tenantId: i.event.tenantId, ...i.event.subject })))
        : [];
      const to = route.mail.to.length > 0 ? route.mail.to : owners;
      const cc = route.mail.to.length > 0 ? owners.filter((o) => !route.mail!.to.some((t) => t.toLowerCase() === o.toLowerCase())) : [];
      if (to.length === 0)
        return { attempt: { kind: 'failed', reason: 'no recipients: the apps have no owners with a mailbox', permanent: true }, note: '' };
      const attempt = await channels.mail.send({ to, cc, subject: digest.subject, html: digest.html, text: digest.text });
      return { attempt, note: `subject "${digest.subject}" to ${to.length + cc.length} recipient(s)` };
    }
    case 'teams': {
      const channel = channelConfigOf(route, message.channel);
      if (!channel) return notConfigured(`Teams channel ${message.channel.name} is no longer configured on route ${message.route}`);
      const card = toTeamsCard(message.route, message.items, render, now);
      const attempt = await channels.teams.post(channel, card.envelope);
      return {
        attempt,
        note: `${shownNote(card)}, ${card.bytes} bytes`,
      };
    }
    case 'slack': {
      const channel = channelConfigOf(route, message.channel);
      if (!channel) return notConfigured(`Slack channel ${message.channel.name} is no longer configured on route ${message.route}`);
      const slack = toSlackMessage(message.route, message.items, render, now);
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
      const event = item && toPagerDutyEvent(item, render, now);
      if (!item || !event) return notConfigured('nothing in this message pages PagerDuty');
      const attempt = await channels.pagerDuty.send(service, event);
      return { attempt, note: `${String(event.event_action)} ${item.findingId}` };
    }
    case 'webhook': {
      const endpoint = channelConfigOf(route, message.channel);
      if (!endpoint) return notConfigured(`webhook endpoint ${message.channel.name} is no longer configured on route ${message.route}`);
      const item = message.items[0];
      if (!item) return notConfigured('empty webhook message');
      // A batch endpoint always gets an array; several events planned as one batch stay one even if the endpoint changed since.
      if (endpoint.batch || message.items.length > 1) {
        const events = message.items.map((i) => toCloudEvent(i, render.publicBaseUrl));
        const attempt = await channels.webhooks.post(endpoint, {
          id: `msg_${message.id}`,
          body: JSON.stringify(events),
          contentType: cloudEventBatchContentType,
          now,
        });
        return { attempt, note: `a batch of ${events.length} event(s)` };
      }
      const event = toCloudEvent(item, render.publicBaseUrl);
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
