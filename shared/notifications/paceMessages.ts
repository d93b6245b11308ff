import { channelConfigOf, credentialSecretOf } from './channelConfigOf.js';
import { channelLabel, type ChannelRef, type OutboxMessage } from './OutboxMessage.js';
import type { RoutesConfig } from './routesConfig.js';

/** How a flush spreads the messages to one sender's limit, by channel kind: `count` each `everyMs`; kinds without one go at once. */
export type Spacing = Partial<Record<ChannelRef['kind'], { count: number; everyMs: number }>>;

/**
 * When each message of a flush becomes visible (a visibility delay each): messages that share a limit
 * go `count` of their kind each `everyMs`. This is a first spread only: it says when a message is
 * visible, not when it is sent, so mail keeps to Exchange's limit by its send budget at send time
 * (SendBudget); the spread only spares a big flush's mail from waking at once to wait. Mail shares one
 * mailbox across every route.
 * PagerDuty limits events per routing key, so channels behind one routing-key secret (two routes paging
 * one service) share a pace; the same for Teams and Slack URLs. The key is the secret's name, never its
 * value, and needs no Key Vault read: a flush must not wait on Key Vault.
 */
export function paceMessages(messages: readonly OutboxMessage[], config: RoutesConfig, spacing: Spacing): Map<string, number> {
  const sent = new Map<string, number>();
  const delays = new Map<string, number>();
  for (const m of messages) {
    const secret = m.channel.kind === 'mail' ? undefined : credentialSecretOf(channelConfigOf(config.routes[m.route], m.channel));
    const key = secret ? `${m.channel.kind}/${secret}` : channelLabel(m.channel);
    const n = sent.get(key) ?? 0;
    sent.set(key, n + 1);
    const pace = spacing[m.channel.kind];
    delays.set(m.id, pace ? Math.floor(n / pace.count) * pace.everyMs : 0);
  }
  return delays;
}
