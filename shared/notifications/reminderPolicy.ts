import { DateTime } from 'luxon';
import { z } from 'zod';
import { daysLeftUntil } from '../scanner/evaluateCredential.js';
import type { OpenRouteState, Snooze } from './NotificationState.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

/**
 * When an open finding is brought up again (docs/notifications.md, "Reminders"). Days are calendar days
 * in UTC, so a reminder timer that runs once a day sends at most one reminder per finding and route a day.
 */
export interface ReminderPolicy {
  /** Daily reminders while a credential is still valid and this many days or fewer remain. */
  withinDays: number;
  /** Reminders after a lapse or a failure (days 1, 3, 7, then weekly): at most this many; the last one says so. */
  maxAfterLapse: number;
  /** The expiry ladder in days (VIGIL_EXPIRY_THRESHOLDS_DAYS): a snooze's end names the steps it hid. */
  thresholdsDays: readonly number[];
}

/** What a snooze held back: a step of the expiry ladder, the expiry itself, or a reminder after a lapse. */
const missedSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('threshold'), days: z.number(), at: z.string() }),
  z.object({ kind: z.literal('expiry'), at: z.string() }),
  z.object({ kind: z.literal('reminder'), day: z.number(), at: z.string() }),
]);
export type Missed = z.output<typeof missedSchema>;

/** Why a reminder goes out now (stored with the item); renderers put it in words beside the current state. */
export const reminderNoteSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('daily') }),
  z.object({ kind: z.literal('afterLapse'), rung: z.number(), of: z.number(), since: z.string() }),
  z.object({ kind: z.literal('snoozeEnded'), until: z.string(), missed: z.array(missedSchema) }),
]);
export type ReminderNote = z.output<typeof reminderNoteSchema>;

/** What the policy needs to know of the finding besides the route's state. */
export interface ReminderSubject {
  /** The credential's end, for findings about one. */
  endDateTime?: string;
  /** Hygiene (stale, remove) is never reminded of: nothing breaks. */
  hygiene: boolean;
}

/** Day numbers after a lapse or failure on which a reminder is due: 1, 3, 7, then every 7 days (14, 21, …). */
export function lapseRungDay(rung: number): number {
  return rung <= 3 ? [1, 3, 7][rung - 1]! : 7 * (rung - 2);
}

const dayOf = (at: DateTime | string): DateTime =>
  (typeof at === 'string' ? DateTime.fromISO(at, { zone: 'utc' }) : at.toUTC()).startOf('day');
const iso = (at: DateTime): string => toIsoUtc(at);

/**
 * The reminder due for one open finding on one route at `now`, if any:
 * - snoozed: none; a snooze that ended after the route was last told: at once, with what it hid;
 * - hygiene: none;
 * - a valid credential with `withinDays` or fewer left: once a day;
 * - a lapsed credential or a failure: on days 1, 3 and 7 after the lapse (or after the route was first
 *   told, if later), then weekly, up to `maxAfterLapse`; rungs missed while nothing ran collapse into one,
 *   and the last rung is always sent so the route hears that the reminders stop;
 * - a credential further from its end: none (the scanner's ladder announces it).
 */
export function reminderDue(
  state: OpenRouteState,
  subject: ReminderSubject,
  snooze: Snooze | undefined,
  now: DateTime,
  policy: ReminderPolicy,
): ReminderNote | undefined {
  if (snooze && now.toMillis() < Date.parse(snooze.until)) return undefined;
  const ended = snoozeEndNote(state, subject, snooze, now, policy);
  if (ended) return ended;
  if (subject.hygiene) return undefined;
  const lastTold = dayOf(state.notifiedAt);
  if (subject.endDateTime && Date.parse(subject.endDateTime) > now.toMillis()) {
    if (daysLeftUntil(subject.endDateTime, now) > policy.withinDays) return undefined;
    return lastTold < dayOf(now) ? { kind: 'daily' } : undefined;
  }
  const anchor = lapseAnchor(state, subject);
  const reached = rungsReached(anchor, now);
  if (reached === 0) return undefined;
  const rung = Math.min(reached, policy.maxAfterLapse);
  const due = lastTold < dayOf(anchor).plus({ days: lapseRungDay(rung) });
  return due ? { kind: 'afterLapse', rung, of: policy.maxAfterLapse, since: iso(anchor) } : undefined;
}

/** A snooze that has ended since the route was last told: re-announce now, naming what it held back. */
export function snoozeEndNote(
  state: OpenRouteState,
  subject: ReminderSubject,
  snooze: Snooze | undefined,
  now: DateTime,
  policy: ReminderPolicy,
): ReminderNote | undefined {
  if (!snooze) return undefined;
  const until = Date.parse(snooze.until);
  if (now.toMillis() < until || Date.parse(state.notifiedAt) >= until) return undefined;
  return { kind: 'snoozeEnded', until: snooze.until, missed: missedDuringSnooze(state, subject, snooze, now, policy) };
}

/** The lapse or failure reminders count from the later of the end date and the first notice of this situation. */
function lapseAnchor(state: OpenRouteState, subject: ReminderSubject): DateTime {
  const since = DateTime.fromISO(state.since, { zone: 'utc' });
  if (!subject.endDateTime) return since;
  return DateTime.max(since, DateTime.fromISO(subject.endDateTime, { zone: 'utc' }));
}

/** How many rungs of the lapse ladder have been reached by `now` (0 before the first). */
function rungsReached(anchor: DateTime, now: DateTime): number {
  const days = Math.floor(dayOf(now).diff(dayOf(anchor), 'days').days);
  if (days < 1) return 0;
  if (days < 3) return 1;
  if (days < 7) return 2;
  return 2 + Math.floor(days / 7);
}

/**
 * The ladder thresholds crossed and the expiry passed while snoozed, and the lapse reminders it held back,
 * oldest first. A threshold `t` is crossed when `t` days remain: at the end date minus `t` days.
 */
export function missedDuringSnooze(
  state: OpenRouteState,
  subject: ReminderSubject,
  snooze: Snooze,
  now: DateTime,
  policy: ReminderPolicy,
): Missed[] {
  const from = Date.parse(snooze.at);
  const to = Math.min(Date.parse(snooze.until), now.toMillis());
  const within = (at: DateTime) => at.toMillis() > from && at.toMillis() <= to;
  const missed: Missed[] = [];
  if (subject.endDateTime) {
    const end = DateTime.fromISO(subject.endDateTime, { zone: 'utc' });
    for (const days of policy.thresholdsDays) {
      const at = end.minus({ days });
      if (within(at)) missed.push({ kind: 'threshold', days, at: iso(at) });
    }
    if (within(end)) missed.push({ kind: 'expiry', at: iso(end) });
  }
  if (!subject.hygiene && (!subject.endDateTime || Date.parse(subject.endDateTime) <= to)) {
    const anchor = lapseAnchor(state, subject);
    for (let rung = 1; rung <= policy.maxAfterLapse; rung++) {
      const at = dayOf(anchor).plus({ days: lapseRungDay(rung) });
      if (at.toMillis() > to) break;
      if (within(at)) missed.push({ kind: 'reminder', day: lapseRungDay(rung), at: iso(at) });
    }
  }
  return missed.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
