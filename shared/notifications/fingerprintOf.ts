import { createHash } from 'node:crypto';
import type { OutboxMessage } from './OutboxMessage.js';
import type { RoutesConfig } from './routesConfig.js';

/** A channel's configuration as a short hash: a changed URL or secret name is a new endpoint, so an old 410 no longer applies. */
export function fingerprintOf(message: OutboxMessage, config: RoutesConfig): string {
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
