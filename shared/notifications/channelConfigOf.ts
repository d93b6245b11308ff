import type { ChannelRef } from './OutboxMessage.js';
import type { RouteConfig } from './routesConfig.js';

/** A channel's configuration on its route, by kind; what each kind's settings are. */
export type ChannelConfigs = {
  mail: NonNullable<RouteConfig['mail']>;
  teams: RouteConfig['teams'][number];
  slack: RouteConfig['slack'][number];
  pagerduty: RouteConfig['pagerduty'][number];
  webhook: RouteConfig['webhooks'][number];
};

/** The settings a route has for a channel, or undefined when the route no longer configures it. */
export function channelConfigOf<K extends ChannelRef['kind']>(
  route: RouteConfig | undefined,
  channel: Extract<ChannelRef, { kind: K }>,
): ChannelConfigs[K] | undefined {
  if (!route) return undefined;
  const name = 'name' in channel ? channel.name : undefined;
  const named = <T extends { name: string }>(list: readonly T[]): T | undefined => list.find((c) => c.name === name);
  const byKind: { [P in ChannelRef['kind']]: () => ChannelConfigs[P] | undefined } = {
    mail: () => route.mail,
    teams: () => named(route.teams),
    slack: () => named(route.slack),
    pagerduty: () => named(route.pagerduty),
    webhook: () => named(route.webhooks),
  };
  return byKind[channel.kind]();
}

/**
 * The Key Vault secret that is a people channel's credential (a Workflow or Slack URL, a PagerDuty routing
 * key): two channels with the same one share any failure. Undefined for mail and webhooks.
 */
export function credentialSecretOf(settings: ChannelConfigs[keyof ChannelConfigs] | undefined): string | undefined {
  if (settings && 'urlSecretName' in settings) return settings.urlSecretName;
  if (settings && 'routingKeySecretName' in settings) return settings.routingKeySecretName;
  return undefined;
}
