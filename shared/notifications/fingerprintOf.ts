import { createHash } from 'node:crypto';
import { channelConfigOf } from './channelConfigOf.js';
import type { OutboxMessage } from './OutboxMessage.js';
import type { RoutesConfig } from './routesConfig.js';

/** A channel's configuration as a short hash: a changed URL or secret name is a new endpoint, so an old 410 no longer applies. */
export function fingerprintOf(message: OutboxMessage, config: RoutesConfig): string {
  const settings = channelConfigOf(config.routes[message.route], message.channel);
  return createHash('sha256')
    .update(JSON.stringify(settings ?? null))
    .digest('hex')
    .slice(0, 16);
}
