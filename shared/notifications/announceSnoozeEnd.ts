import type { DateTime } from 'luxon';
import { commitDecisions, type CommitDeps, type Decided } from './commitDecisions.js';
import type { SnoozeAlarms } from './DigestPorts.js';
import { isHygiene } from './isHygiene.js';
import { stateKey, type OpenRouteState, type Snooze } from './NotificationState.js';
import { snoozeEndNote, type ReminderPolicy } from './reminderPolicy.js';
import { routesFor } from './routeEvents.js';
import { toReminder } from './toReminder.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

export interface SnoozeEndDeps extends CommitDeps {
  policy: ReminderPolicy;
  alarms: SnoozeAlarms;
}

export type SnoozeEndResult =
  { kind: 'notSnoozed' } | { kind: 'notYet'; until: string } | { kind: 'closed' } | { kind: 'announced'; routes: number };

/** A queue message may stay invisible for at most 7 days and less than its time-to-live (7 days by default). */
const maxAlarmDelayMs = 6 * 24 * 3_600_000;
const maxRounds = 3;

/** Wakes `announceSnoozeEnd` when the snooze ends; a longer snooze wakes it early and it sets the alarm again. */
export async function scheduleSnoozeEnd(findingId: string, until: string, alarms: SnoozeAlarms, now: DateTime): Promise<void> {
  await alarms.wakeAt(findingId, until, Math.min(maxAlarmDelayMs, Math.max(0, Date.parse(until) - now.toMillis())));
}

/**
 * When a snooze ends (its alarm, or a person lifting it: `endNow`), the finding is re-announced at once on
 * every route where it is open, with its current state and what the snooze held back (thresholds crossed,
 * the expiry, lapse reminders); a route the rules send it to now but that never heard of it hears it as
 * new. Then the snooze is lifted. A finding that recovered meanwhile is not re-announced. Idempotent: a
 * second alarm finds the end announced (or the snooze gone) and sends nothing.
 */
export async function announceSnoozeEnd(findingId: string, deps: SnoozeEndDeps, now: DateTime, endNow = false): Promise<SnoozeEndResult> {
  for (let round = 0; round < maxRounds; round++) {
    const { routes, findings } = await deps.state.load([findingId]);
    const record = findings.get(findingId);
    if (!record?.snooze) return { kind: 'notSnoozed' };
    const at = toIsoUtc(now);
    const snooze: Snooze = endNow && record.snooze.until > at ? { ...record.snooze, until: at } : record.snooze;
    if (Date.parse(snooze.until) > now.toMillis()) {
      await scheduleSnoozeEnd(findingId, snooze.until, deps.alarms, now);
      return { kind: 'notYet', until: snooze.until };
    }
    const open = [...routes].filter(
      (entry): entry is [string, { value: OpenRouteState; etag: string }] => entry[1].value.status === 'open',
    );
    const event = record.event;
    if (!event || open.length === 0) {
      await deps.state.clearSnooze(findingId, record.snooze.until);
      return { kind: 'closed' };
    }
    const subject = { ...(record.endDateTime ? { endDateTime: record.endDateTime } : {}), hygiene: isHygiene(event) };
    const decided: Decided[] = [];
    for (const [key, state] of open) {
      const route = key.slice(findingId.length + 1);
      const note = deps.config.routes[route] && snoozeEndNote(state.value, subject, snooze, now, deps.policy);
      if (note) decided.push(toReminder(findingId, route, event, state, note, now, deps.newId));
    }
    const never: OpenRouteState = { status: 'open', dedupeKey: '', severity: 'info', notifiedAt: snooze.at, since: snooze.at, items: [] };
    for (const route of routesFor(event, deps.config)) {
      const note = routes.has(stateKey(findingId, route)) ? undefined : snoozeEndNote(never, subject, snooze, now, deps.policy);
      if (note) decided.push(toReminder(findingId, route, event, undefined, note, now, deps.newId));
    }
    const { lost } = await commitDecisions(decided, deps);
    if (lost.length > 0) continue;
    await deps.state.clearSnooze(findingId, record.snooze.until);
    return { kind: 'announced', routes: decided.length };
  }
  throw new Error(`the notification state of finding ${findingId} kept changing while its snooze end was announced; retry`);
}
