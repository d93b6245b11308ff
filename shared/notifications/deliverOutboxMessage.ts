import type { DateTime } from 'luxon';
import type { Channels, ChannelOutcome } from './ChannelOutcome.js';
import type { RenderOptions } from './describeItem.js';
import type { OutboxMessage } from './OutboxMessage.js';
import type { RoutesConfig } from './routesConfig.js';
import { cloudEventBatchContentType, cloudEventContentType, toCloudEvent } from './toCloudEvent.js';
import { toMailDigest } from './toMailDigest.js';
import { toTeamsCard } from './toTeamsCard.js';

export type DeliveryAttempt = ChannelOutcome | { kind: 'notConfigured'; reason: string };

/** Renders one outbox message for its channel and makes one attempt to send it. */
export async function deliverOutboxMessage(
  message: OutboxMessage,
  config: RoutesConfig,
  channels: Channels,
  render: RenderOptions,
  now: DateTime,
): Promise<{ attempt: DeliveryAttempt; note: string }> {
  const route = config.routes[message.route];
  if (!route) return { attempt: { kind: 'notConfigured', reason: `route ${message.route} is no longer configured` }, note: '' };
  switch (message.channel.kind) {
    case 'mail': {
      if (!route.mail || !channels.mail)
        return { attempt: { kind: 'notConfigured', reason: 'mail is not configured (route mail or VIGIL_MAIL_SENDER)' }, note: '' };
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
      const name = message.channel.name;
      const channel = route.teams.find((t) => t.name === name);
      if (!channel)
        return {
          attempt: { kind: 'notConfigured', reason: `Teams channel ${name} is no longer configured on route ${message.route}` },
          note: '',
        };
      const card = toTeamsCard(message.route, message.items, render, now);
      const attempt = await channels.teams.post(channel, card.envelope);
      return {
        attempt,
        note: `${card.shown} shown${card.omitted > 0 ? `, ${card.omitted} summarised as "and more"` : ''}, ${card.bytes} bytes`,
      };
    }
    case 'webhook': {
      const name = message.channel.name;
      const endpoint = route.webhooks.find((w) => w.name === name);
      if (!endpoint)
        return {
          attempt: { kind: 'notConfigured', reason: `webhook endpoint ${name} is no longer configured on route ${message.route}` },
          note: '',
        };
      const item = message.items[0];
      if (!item) return { attempt: { kind: 'notConfigured', reason: 'empty webhook message' }, note: '' };
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
