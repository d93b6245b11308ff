import type { DateTime } from 'luxon';
import type { NotificationItem } from './NotificationItem.js';
import type { ChannelRef, OutboxMessage } from './OutboxMessage.js';
import type { RoutesConfig } from './routesConfig.js';

/**
 * Turns one run's decisions into outbox messages: per route one mail digest and one card per Teams
 * channel, and one webhook per event and endpoint (a CloudEvents structured-mode body holds one event,
 * and a downstream system opens one ticket per finding). Routes on the `daily` schedule are held.
 */
export function planOutboxMessages(
  itemsByRoute: ReadonlyMap<string, readonly NotificationItem[]>,
  config: RoutesConfig,
  now: DateTime,
  newId: () => string,
): OutboxMessage[] {
  const messages: OutboxMessage[] = [];
  for (const [route, items] of itemsByRoute) {
    const settings = config.routes[route];
    if (!settings || items.length === 0) continue;
    const held = settings.schedule === 'daily';
    const message = (channel: ChannelRef, of: readonly NotificationItem[]): OutboxMessage => ({
      id: newId(),
      route,
      channel,
      createdAt: now.toUTC().toISO()!,
      held,
      items: [...of],
    });
    if (settings.mail) messages.push(message({ kind: 'mail' }, items));
    for (const teams of settings.teams) messages.push(message({ kind: 'teams', name: teams.name }, items));
    for (const webhook of settings.webhooks)
      for (const item of items) messages.push(message({ kind: 'webhook', name: webhook.name }, [item]));
  }
  return messages;
}

/** The daily digest: every held message of a route and channel in one, webhooks still one per event. */
export function mergeHeldMessages(held: readonly OutboxMessage[], now: DateTime, newId: () => string): OutboxMessage[] {
  const merged = new Map<string, OutboxMessage>();
  const single: OutboxMessage[] = [];
  for (const message of held) {
    if (message.channel.kind === 'webhook') {
      single.push({ ...message, held: false });
      continue;
    }
    const key = `${message.route}/${message.channel.kind === 'teams' ? `teams:${message.channel.name}` : 'mail'}`;
    const into = merged.get(key) ?? {
      id: newId(),
      route: message.route,
      channel: message.channel,
      createdAt: now.toUTC().toISO()!,
      held: false,
      items: [],
    };
    into.items.push(...message.items);
    merged.set(key, into);
  }
  return [...merged.values(), ...single];
}
