import type { DateTime } from 'luxon';
import { severities, type Severity, type VigilEvent } from '../events/vigilEvent.js';
import { findingOf, type FindingRef } from './findingOf.js';
import { isHygiene } from './isHygiene.js';
import type { NotificationItem, NotificationReason } from './NotificationItem.js';
import { stateKey, type RouteState, type Snooze } from './NotificationState.js';
import { snoozeEndNote, type ReminderNote, type ReminderPolicy } from './reminderPolicy.js';
import type { RoutedEvent } from './routeEvents.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

export type Skip = 'duplicate' | 'snoozed' | 'nothingOpen';
export type Decision =
  { kind: 'send'; reason: NotificationReason; next: RouteState; reminder?: ReminderNote } | { kind: 'skip'; why: Skip };

/**
 * Decides for one event on one route:
 * - a recovery is sent only where the finding is open, and closes it (a snooze does not hold it back);
 * - a snoozed finding is held back until the snooze ends;
 * - a new situation (another dedupe key, or a problem after its recovery) is sent;
 * - the same situation at a higher severity is sent again (escalation);
 * - the same situation after a snooze ended, not yet re-announced, is re-announced (a reminder);
 * - the same situation otherwise is a duplicate: reminders come from the reminder walk, not from producers;
 * - a notice (a refused sign-in) and a record (info) are sent once per dedupe key (again on a higher
 *   severity) and leave the route's state closed: nothing to remind of, nothing to recover from.
 */
export function decideDelivery(
  event: VigilEvent,
  finding: FindingRef,
  state: RouteState | undefined,
  snooze: Snooze | undefined,
  now: DateTime,
  policy: ReminderPolicy,
): Decision {
  const at = toIsoUtc(now);
  const told = { dedupeKey: event.dedupeKey, severity: event.severity, notifiedAt: at, items: [] };
  const closed: RouteState = { status: 'closed', ...told };
  const open = (since: string): RouteState => ({ status: 'open', ...told, since });
  const send = (reason: NotificationReason, next: RouteState, reminder?: ReminderNote): Decision => ({
    kind: 'send',
    reason,
    next,
    ...(reminder ? { reminder } : {}),
  });
  if (finding.role === 'closes') return state?.status === 'open' ? send('recovered', closed) : { kind: 'skip', why: 'nothingOpen' };
  if (snooze && now.toMillis() < Date.parse(snooze.until)) return { kind: 'skip', why: 'snoozed' };
  const info = finding.role === 'info';
  const once = info || finding.role === 'notice';
  if (!state || state.dedupeKey !== event.dedupeKey || (!once && state.status !== 'open'))
    return info ? send('info', closed) : send('new', once ? closed : open(at));
  if (once) return rank(event.severity) > rank(state.severity) ? send('escalated', closed) : { kind: 'skip', why: 'duplicate' };
  const kept = open(state.status === 'open' ? state.since : at);
  if (rank(event.severity) > rank(state.severity)) return send('escalated', kept);
  if (state.status === 'open') {
    const subject = { ...('endDateTime' in event.data ? { endDateTime: event.data.endDateTime } : {}), hygiene: isHygiene(event) };
    const ended = snoozeEndNote(state, subject, snooze, now, policy);
    if (ended) return send('reminder', kept, ended);
  }
  return { kind: 'skip', why: 'duplicate' };
}

const rank = (s: Severity): number => severities.indexOf(s);

/** What one (finding, route) ends up with after a batch: the items to send and the state to write. */
export interface KeyDecision {
  key: string;
  route: string;
  findingId: string;
  items: NotificationItem[];
  next: RouteState;
}

export interface Decisions {
  /** By `stateKey(findingId, route)`, in the order the events came. */
  decided: Map<string, KeyDecision>;
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
  const result: Decisions = { decided: new Map(), skipped: [] };
  const at = toIsoUtc(now);
  for (const { route, event } of routed) {
    const finding = findingOf(event);
    const key = stateKey(finding.id, route);
    const earlier = result.decided.get(key);
    const decision = decideDelivery(event, finding, earlier?.next ?? states.get(key), snoozes.get(finding.id), now, policy);
    if (decision.kind === 'skip') {
      result.skipped.push({ route, findingId: finding.id, why: decision.why });
      continue;
    }
    const item: NotificationItem = {
      findingId: finding.id,
      reason: decision.reason,
      event,
      at,
      ...(decision.reminder ? { reminder: decision.reminder } : {}),
    };
    result.decided.set(key, { key, route, findingId: finding.id, items: [...(earlier?.items ?? []), item], next: decision.next });
  }
  return result;
}
