import type { DateTime } from 'luxon';
import { clip } from '../helpers/clip.js';
import type { Severity } from '../events/vigilEvent.js';
import type { PagerDutyEventBody } from './ChannelOutcome.js';
import { describeItem, type RenderOptions } from './describeItem.js';
import { findingOf } from './findingOf.js';
import { isHygiene } from './isHygiene.js';
import type { NotificationItem } from './NotificationItem.js';

/**
 * PagerDuty Events API v2 (developer.pagerduty.com/docs/events-API-v2/trigger-events): one alert per
 * finding, keyed by `dedup_key` (the finding id, at most 255 characters), so a reminder or an escalation
 * lands on the open alert and the recovery resolves it. `payload.summary` is at most 1,024 characters.
 */
const pagerDutyLimits = { summary: 1024, dedupKey: 255 } as const;

/** Vigil's severities in PagerDuty's four. */
const pagerDutySeverity: Record<Severity, 'critical' | 'error' | 'warning' | 'info'> = {
  critical: 'critical',
  high: 'error',
  medium: 'warning',
  low: 'warning',
  info: 'info',
};

/**
 * Whether an item is for PagerDuty, and as what: a finding that needs a person (a problem, a check that
 * could not be made) triggers its alert; its recovery resolves it. Hygiene, records and one-off notices
 * (a refused sign-in, a first scan's summary) page nobody: nothing would ever resolve their alert.
 * A snooze sends nothing, so it leaves the alert as it stands, and so does a recovery sent as part of a
 * decision Vigil could not store whole (`heldInPart`): a later report may have opened the finding again.
 */
export function pagerDutyActionOf(item: NotificationItem): 'trigger' | 'resolve' | undefined {
  const role = findingOf(item.event).role;
  if (item.reason === 'recovered') return role === 'closes' && !item.heldInPart ? 'resolve' : undefined;
  return role === 'opens' && item.reason !== 'info' && !isHygiene(item.event) ? 'trigger' : undefined;
}

/**
 * How a list of items reaches PagerDuty: one message per item that pages, since PagerDuty opens one
 * alert per finding; never a digest as one incident. The flush and the fallback both plan by it.
 */
export function onePerAlert(items: readonly NotificationItem[]): NotificationItem[][] {
  return items.filter((i) => pagerDutyActionOf(i) !== undefined).map((i) => [i]);
}

/** One item as an event, without `routing_key` (a Key Vault secret the adapter adds). Nothing in it is secret. */
export function toPagerDutyEvent(item: NotificationItem, options: RenderOptions, now: DateTime): PagerDutyEventBody | undefined {
  const action = pagerDutyActionOf(item);
  if (!action) return undefined;
  const v = describeItem(item, options, now);
  const links = v.links.map((l) => ({ href: l.url, text: l.title }));
  if (action === 'resolve') return { event_action: 'resolve', dedup_key: item.findingId };
  const { event } = item;
  return {
    event_action: 'trigger',
    dedup_key: item.findingId,
    client: 'Vigil',
    ...(v.statusUrl ? { client_url: v.statusUrl } : {}),
    payload: {
      summary: clip(`${v.name} ${v.what}: ${v.when}. ${v.summary}`, pagerDutyLimits.summary),
      source: `${event.subject.displayName} (tenant ${event.tenantId})`,
      severity: pagerDutySeverity[event.severity],
      timestamp: event.time,
      component: event.subject.kind,
      group: event.tenantId,
      class: event.type,
      custom_details: {
        finding: item.findingId,
        reason: item.reason,
        type: event.type,
        tenant: event.tenantId,
        subject: event.subject.displayName,
        when: v.when,
        summary: v.summary,
        ...(v.reminder ? { reminder: v.reminder } : {}),
        impact: v.impact,
        fix: v.fix,
        ...Object.fromEntries(v.details.map((d) => [d.label, d.text])),
      },
    },
    links,
  };
}
