import { createHash } from 'node:crypto';
import type { DateTime } from 'luxon';
import type { VigilEvent } from '../events/vigilEvent.js';
import { findingOf } from './findingOf.js';
import type { NotificationItem } from './NotificationItem.js';
import { channelLabel, type ChannelRef, type OutboxMessage } from './OutboxMessage.js';
import { routesFor } from './routeEvents.js';
import type { RoutesConfig } from './routesConfig.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';
import { channelConfigOf, credentialSecretOf } from './channelConfigOf.js';
import { onePerAlert } from './toPagerDutyEvent.js';

/** What could not be delivered: a message's route, channel and items (no channel or items for an unreadable row). */
export interface FailedMessage {
  /** The outbox message that failed, when it is one: its stand-ins' ids derive from it (see standInId). */
  id?: string;
  route: string;
  channel: ChannelRef | undefined;
  items: readonly NotificationItem[];
}

export interface FallbackPlan {
  /** The route that stands in: the default route. */
  route: string;
  /** Its channels that stand in. */
  targets: ChannelRef[];
  /** The failed message's items that those channels had not been given. */
  items: NotificationItem[];
}

/**
 * Where a failing channel's notices go so a person hears them by a path that does not share the failure:
 * the people channels (mail, Teams, Slack, PagerDuty) of the default route, never the failing channel
 * itself nor another channel behind the same secret (a Workflow or Slack URL, a PagerDuty routing key).
 * Webhooks are for systems, so they never stand in.
 * - The failing message's own route was given the same items on every channel when it was planned, so
 *   its other channels are not given them twice: in practice the stand-ins are on the default route.
 * - Items the default route was given by the rules already are left out, and so are records (`info`):
 *   they are for the systems that asked for them.
 */
export function planFallback(failed: FailedMessage, config: RoutesConfig, mailEnabled: boolean): FallbackPlan {
  const route = config.defaultRoute;
  const items =
    failed.route === route ? [] : failed.items.filter((i) => i.reason !== 'info' && !routesFor(i.event, config).includes(route));
  return { route, targets: standIns(failed, config, mailEnabled), items };
}

/**
 * The stand-in messages: per target the report (`delivery.failed`, `queue.poisoned`) first, then the
 * items. They are marked `fallbackFor`, so they never fall back again and failures cannot chain.
 */
export function toFallbackMessages(
  failed: FailedMessage,
  plan: FallbackPlan,
  report: VigilEvent,
  now: DateTime,
  newId: () => string,
): OutboxMessage[] {
  const reportItem: NotificationItem = { findingId: findingOf(report).id, reason: 'new', event: report };
  const fallbackFor = failed.channel ? `${channelLabel(failed.channel)} on route ${failed.route}` : failed.route;
  const items = [reportItem, ...plan.items];
  return plan.targets.flatMap((channel) =>
    (channel.kind === 'pagerduty' ? onePerAlert(items) : [items]).map((of) => ({
      id: failed.id ? standInId(failed.id, report.dedupeKey, channel, of.length === 1 ? of[0]!.findingId : '') : newId(),
      route: plan.route,
      channel,
      createdAt: toIsoUtc(now),
      held: false,
      items: of,
      fallbackFor,
    })),
  );
}

/**
 * A stand-in's id, the same every time the same message falls back for the same reason to the same
 * channel: a fallback that runs again (its first run's record was lost to a storage failure) finds its
 * stand-ins saved already and sends nothing new.
 */
function standInId(failedId: string, reportKey: string, channel: ChannelRef, findingId: string): string {
  const of = [failedId, reportKey, channelLabel(channel), findingId].join('|');
  return `fb-${createHash('sha256').update(of).digest('hex').slice(0, 32)}`;
}

function standIns(failed: FailedMessage, config: RoutesConfig, mailEnabled: boolean): ChannelRef[] {
  const route = config.routes[config.defaultRoute];
  if (!route) return [];
  const channel = failed.channel;
  const sameRoute = failed.route === config.defaultRoute;
  // A channel behind the same secret (Workflow or Slack URL, PagerDuty routing key) shares the failure.
  const failedSecret =
    channel && channel.kind !== 'mail' ? credentialSecretOf(channelConfigOf(config.routes[failed.route], channel)) : undefined;
  const shares = (candidate: Exclude<ChannelRef, { kind: 'mail' }>, secret: string): boolean =>
    channel?.kind === candidate.kind && ((sameRoute && channel.name === candidate.name) || secret === failedSecret);
  const targets: ChannelRef[] = [];
  if (route.mail && mailEnabled && !(sameRoute && channel?.kind === 'mail')) targets.push({ kind: 'mail' });
  const people = [
    ...route.teams.map((t) => [{ kind: 'teams', name: t.name }, t.urlSecretName] as const),
    ...route.slack.map((t) => [{ kind: 'slack', name: t.name }, t.urlSecretName] as const),
    ...route.pagerduty.map((t) => [{ kind: 'pagerduty', name: t.name }, t.routingKeySecretName] as const),
  ];
  for (const [candidate, secret] of people) if (!shares(candidate, secret)) targets.push(candidate);
  return targets;
}
