import { channelConfigOf, credentialSecretOf } from './channelConfigOf.js';
import { channelLabel, type ChannelRef, type OutboxMessage } from './OutboxMessage.js';
import type { RoutesConfig } from './routesConfig.js';

/** Time between two messages of one flush to one sender's limit, by channel kind; kinds without one go at once. */
export type Spacing = Partial<Record<ChannelRef['kind'], number>>;

/**
 * When each message of a flush may be sent (a visibility delay each), so no limit is overrun: messages
 * that share a limit go `spacing` of their kind apart. Mail shares one mailbox across every route.
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
    delays.set(m.id, n * (spacing[m.channel.kind] ?? 0));
  }
  return delays;
}
