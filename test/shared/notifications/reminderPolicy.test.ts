import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { OpenRouteState, Snooze } from '../../../shared/notifications/NotificationState.js';
import { lapseRungDay, reminderDue, type ReminderSubject } from '../../../shared/notifications/reminderPolicy.js';

const policy = { withinDays: 7, maxAfterLapse: 6, thresholdsDays: [60, 30, 14, 7, 3, 1] };
const T0 = DateTime.fromISO('2026-11-23T06:30:00Z', { zone: 'utc' });
const day = (n: number, hours = 0) => T0.plus({ days: n, hours });
const open = (notifiedAt: DateTime, since: DateTime = notifiedAt): OpenRouteState => ({
  status: 'open',
  dedupeKey: 'k',
  severity: 'critical',
  notifiedAt: notifiedAt.toISO()!,
  since: since.toISO()!,
  items: [],
});
const credential = (end: DateTime): ReminderSubject => ({ endDateTime: end.toISO()!, hygiene: false });
const failure: ReminderSubject = { hygiene: false };

/**
 * Runs the daily reminder timer (06:30 UTC) for `days` days after a first notice at T0 and returns the
 * days on which a reminder went out, with its clause: what a route would see.
 */
function timeline(subject: ReminderSubject, days: number, snooze?: Snooze, first = T0): Array<[number, string]> {
  let state = open(first);
  const sent: Array<[number, string]> = [];
  for (let d = 1; d <= days; d++) {
    const now = day(d);
    // A snooze counts from when a person set it.
    const active = snooze && now.toMillis() >= Date.parse(snooze.at) ? snooze : undefined;
    const note = reminderDue(state, subject, active, now, policy);
    if (!note) continue;
    sent.push([d, note.kind === 'afterLapse' ? `${note.rung}/${note.of}` : note.kind]);
    state = { ...state, notifiedAt: now.toISO()! };
  }
  return sent;
}

describe('the reminder policy (docs/notifications.md, "Reminders"), clause by clause', () => {
  it('reminds of a valid credential daily once 7 days or fewer remain, and not before', () => {
    // Ends 10 days after the first notice: 7 days or fewer remain from day 3 (10 - 3 = 7).
    const sent = timeline(credential(day(10)), 9);
    expect(timeline(credential(day(10, 3)), 3)).toEqual([]); // 7 days and 3 hours left on day 3: not yet
    expect(sent).toEqual([
      [3, 'daily'],
      [4, 'daily'],
      [5, 'daily'],
      [6, 'daily'],
      [7, 'daily'],
      [8, 'daily'],
      [9, 'daily'],
    ]);
  });

  it('sends one daily reminder per calendar day however often the timer runs', () => {
    const state = open(day(2, 1)); // told at 07:30 on day 2
    const subject = credential(day(5));
    expect(reminderDue(state, subject, undefined, day(2, 12), policy)).toBeUndefined();
    expect(reminderDue(state, subject, undefined, day(2, 17), policy)).toBeUndefined(); // 23:30, same day
    expect(reminderDue(state, subject, undefined, day(3, -6), policy)).toEqual({ kind: 'daily' }); // 00:30 the next day
  });

  it('after a lapse, reminds on days 1, 3 and 7 and then weekly, at most 6 times, the last saying so', () => {
    const sent = timeline(credential(T0.minus({ hours: 1 })), 60);
    expect(sent).toEqual([
      [1, '1/6'],
      [3, '2/6'],
      [7, '3/6'],
      [14, '4/6'],
      [21, '5/6'],
      [28, '6/6'],
    ]);
    expect([1, 2, 3, 4, 5, 6].map(lapseRungDay)).toEqual([1, 3, 7, 14, 21, 28]);
  });

  it('treats a failure (no end date) like a lapse, counted from the first notice of the situation', () => {
    expect(timeline(failure, 30).map(([d]) => d)).toEqual([1, 3, 7, 14, 21, 28]);
    const later = open(day(9), T0); // told again on day 9 (an escalation), the situation began on day 0
    expect(reminderDue(later, failure, undefined, day(14), policy)).toEqual({ kind: 'afterLapse', rung: 4, of: 6, since: T0.toISO() });
  });

  it('counts a lapse from the end date when the credential lapsed after the route was first told', () => {
    // Told of "expires in 2 days" on day 0 and reminded daily; it ends on day 2 at 12:00 without a new event.
    const subject = credential(day(2, 6));
    const sent = timeline(subject, 12);
    expect(sent).toEqual([
      [1, 'daily'],
      [2, 'daily'],
      [3, '1/6'],
      [5, '2/6'],
      [9, '3/6'],
    ]);
  });

  it('collapses rungs missed while the timer did not run into one, and still sends the last one', () => {
    const state = open(T0);
    expect(reminderDue(state, failure, undefined, day(10), policy)).toEqual({ kind: 'afterLapse', rung: 3, of: 6, since: T0.toISO() });
    expect(reminderDue(state, failure, undefined, day(90), policy)).toEqual({ kind: 'afterLapse', rung: 6, of: 6, since: T0.toISO() });
    expect(reminderDue(open(day(90), T0), failure, undefined, day(97), policy)).toBeUndefined();
  });

  it('never reminds of hygiene (stale, replaced)', () => {
    expect(timeline({ endDateTime: T0.minus({ days: 40 }).toISO()!, hygiene: true }, 60)).toEqual([]);
  });

  it('does not remind of a credential further from its end than 7 days', () => {
    expect(timeline(credential(day(40)), 30)).toEqual([]);
  });

  it('holds everything back while snoozed, then re-announces once when the snooze ends, naming what it held back', () => {
    const snooze: Snooze = { until: day(10, 2).toISO()!, reason: 'migration', by: 'ana@contoso.com', at: day(2).toISO()! };
    const sent = timeline(failure, 30, snooze);
    expect(sent).toEqual([
      [1, '1/6'],
      [11, 'snoozeEnded'],
      [14, '4/6'],
      [21, '5/6'],
      [28, '6/6'],
    ]);
    expect(reminderDue(open(day(1), T0), failure, snooze, day(11), policy)).toEqual({
      kind: 'snoozeEnded',
      until: snooze.until,
      missed: [
        { kind: 'reminder', day: 3, at: '2026-11-26T00:00:00.000Z' },
        { kind: 'reminder', day: 7, at: '2026-11-30T00:00:00.000Z' },
      ],
    });
  });

  it('names the expiry ladder steps and the expiry a snooze of a credential held back', () => {
    const end = day(12);
    const snooze: Snooze = { until: day(14).toISO()!, reason: 'r', by: 'b', at: day(1).toISO()! };
    expect(reminderDue(open(T0), credential(end), snooze, day(14), policy)).toEqual({
      kind: 'snoozeEnded',
      until: snooze.until,
      missed: [
        { kind: 'threshold', days: 7, at: day(5).toISO() },
        { kind: 'threshold', days: 3, at: day(9).toISO() },
        { kind: 'threshold', days: 1, at: day(11).toISO() },
        { kind: 'expiry', at: end.toISO() },
        { kind: 'reminder', day: 1, at: '2026-12-06T00:00:00.000Z' },
      ],
    });
  });
});
