import type { DateTime, Duration } from 'luxon';
import { severities, type Severity, type VigilEvent } from '../events/vigilEvent.js';
import { findingOf, type Finding } from './findingOf.js';
import type { NotificationItem, NotificationReason } from './NotificationItem.js';
import type { RoutedEvent } from './routeEvents.js';

/** What a route was last told about a finding: kept per (finding, route) in the notification state. */
export interface RouteState {
  /** True while the route was told of a problem and not yet of its recovery. */
  open: boolean;
  dedupeKey: string;
  severity: Severity;
  /** RFC 3339 UTC time of the last notification on this route. */
  notifiedAt: string;
}

export interface Snooze {
  until: string;
  reason: string;
  by: string;
  at: string;
}

/** Reminders for open findings: every `every`, once `withinDays` or fewer remain (or when no date applies). */
export interface ReminderPolicy {
  withinDays: number;
  every: Duration;
}

export type Skip = 'duplicate' | 'snoozed' | 'nothingOpen';
export type Decision = { kind: 'send'; reason: NotificationReason; next: RouteState } | { kind: 'skip'; why: Skip };

export const stateKey = (findingId: string, route: string): string => `${findingId}/${route}`;

/**
 * Decides for one event on one route:
 * - a recovery is sent only where the finding is open, and closes it (a snooze does not hold it back);
 * - a snoozed finding is held back until the snooze ends;
 * - a new situation (another dedupe key, or a problem after its recovery) is sent;
 * - the same situation at a higher severity is sent again (escalation);
 * - the same situation otherwise waits for its reminder, or is a duplicate.
 */
export function decideDelivery(
  event: VigilEvent,
  finding: Finding,
  state: RouteState | undefined,
  snooze: Snooze | undefined,
  now: DateTime,
  policy: ReminderPolicy,
): Decision {
  const next: RouteState = {
    open: finding.role === 'opens',
    dedupeKey: event.dedupeKey,
    severity: event.severity,
    notifiedAt: now.toUTC().toISO()!,
  };
  if (finding.role === 'closes') return state?.open ? { kind: 'send', reason: 'recovered', next } : { kind: 'skip', why: 'nothingOpen' };
  if (snooze && now.toMillis() < Date.parse(snooze.until)) return { kind: 'skip', why: 'snoozed' };
  if (!state) return { kind: 'send', reason: finding.role === 'info' ? 'info' : 'new', next };
  if (finding.role === 'opens' && !state.open) return { kind: 'send', reason: 'new', next };
  if (state.dedupeKey !== event.dedupeKey) return { kind: 'send', reason: finding.role === 'info' ? 'info' : 'new', next };
  if (rank(event.severity) > rank(state.severity)) return { kind: 'send', reason: 'escalated', next };
  if (finding.role === 'opens' && isReminderDue(event, state, now, policy))
    return { kind: 'send', reason: 'reminder', next: { ...next, severity: state.severity } };
  return { kind: 'skip', why: 'duplicate' };
}

function isReminderDue(event: VigilEvent, state: RouteState, now: DateTime, policy: ReminderPolicy): boolean {
  const daysLeft = 'daysLeft' in event.data ? event.data.daysLeft : undefined;
  if (daysLeft !== undefined && daysLeft > policy.withinDays) return false;
  return now.toMillis() - Date.parse(state.notifiedAt) >= policy.every.toMillis();
}

const rank = (s: Severity): number => severities.indexOf(s);

export interface Decisions {
  /** What to send, per route, in the order the events came. */
  items: Map<string, NotificationItem[]>;
  /** The states that change, by `stateKey(findingId, route)`. */
  changed: Map<string, RouteState>;
  skipped: Array<{ route: string; findingId: string; why: Skip }>;
}

/** Decides a batch; events of one finding on one route see each other's effect, in order. */
export function decideDeliveries(
  routed: readonly RoutedEvent[],
  states: ReadonlyMap<string, RouteState>,
  snoozes: ReadonlyMap<string, Snooze>,
  now: DateTime,
  policy: ReminderPolicy,
): Decisions {
  const result: Decisions = { items: new Map(), changed: new Map(), skipped: [] };
  for (const { route, event } of routed) {
    const finding = findingOf(event);
    const key = stateKey(finding.id, route);
    const decision = decideDelivery(event, finding, result.changed.get(key) ?? states.get(key), snoozes.get(finding.id), now, policy);
    if (decision.kind === 'skip') {
      result.skipped.push({ route, findingId: finding.id, why: decision.why });
      continue;
    }
    result.changed.set(key, decision.next);
    const items = result.items.get(route) ?? [];
    items.push({ findingId: finding.id, reason: decision.reason, event });
    result.items.set(route, items);
  }
  return result;
}
