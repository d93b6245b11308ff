import type { DateTime } from 'luxon';
import type { NotificationItem } from './NotificationItem.js';
import type { ChannelRef, OutboxMessage } from './OutboxMessage.js';
import type { RoutesConfig } from './routesConfig.js';

/**
 * Turns what a flush took from a digest bucket into outbox messages: per route one mail digest and one
 * card per Teams channel, each listing a finding once, and one webhook per event and endpoint (a
 * CloudEvents structured-mode body holds one event, and a downstream system opens one ticket per finding).
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
    const message = (channel: ChannelRef, of: readonly NotificationItem[]): OutboxMessage => ({
      id: newId(),
      route,
      channel,
      createdAt: now.toUTC().toISO()!,
      held: false,
      items: [...of],
    });
    const digest = oncePerFinding(items);
    if (settings.mail) messages.push(message({ kind: 'mail' }, digest));
    for (const teams of settings.teams) messages.push(message({ kind: 'teams', name: teams.name }, digest));
    for (const webhook of settings.webhooks)
      for (const item of items) messages.push(message({ kind: 'webhook', name: webhook.name }, [item]));
  }
  return messages;
}

const weight: Record<NotificationItem['reason'], number> = { info: 0, reminder: 1, escalated: 2, new: 3, recovered: 4 };

/**
 * A digest lists a finding once: its newest item (the current state), under the strongest reason among
 * the finding's items in the digest, so a reminder that follows the first notice in one window still
 * reads as new. A recovery, when it is the newest, stands alone.
 */
export function oncePerFinding(items: readonly NotificationItem[]): NotificationItem[] {
  const byFinding = new Map<string, NotificationItem[]>();
  for (const item of items) byFinding.set(item.findingId, [...(byFinding.get(item.findingId) ?? []), item]);
  return [...byFinding.values()].map((group) => {
    const newest = group.at(-1)!;
    if (newest.reason === 'recovered' || group.length === 1) return newest;
    const reason = group.reduce(
      (best, i) => (weight[i.reason] > weight[best] && i.reason !== 'recovered' ? i.reason : best),
      newest.reason,
    );
    if (reason === newest.reason) return newest;
    // A snooze's end keeps saying what the snooze held back; a daily or lapse note would contradict "new".
    const { reminder, ...rest } = newest;
    return { ...rest, reason, ...(reminder?.kind === 'snoozeEnded' ? { reminder } : {}) };
  });
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
