import { DateTime } from 'luxon';
import { daysLeftUntil } from '../scanner/evaluateCredential.js';
import type { ReminderNote } from './reminderPolicy.js';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * How an end date stands at `now`: "expires in 3 days", "expires in 5 hours", "expired 2 hours ago",
 * "expired 12 days ago". Never "expires" once the end has passed, and never a count of days taken from
 * when the event was first seen.
 */
export function untilPhrase(endDateTime: string, now: DateTime): string {
  const ms = Date.parse(endDateTime) - now.toMillis();
  if (ms > 0) {
    if (ms < hourMs) return 'expires within the hour';
    if (ms < dayMs) return `expires in ${plural(Math.floor(ms / hourMs), 'hour')}`;
    return `expires in ${plural(daysLeftUntil(endDateTime, now), 'day')}`;
  }
  if (-ms < hourMs) return 'expired less than an hour ago';
  if (-ms < dayMs) return `expired ${plural(Math.floor(-ms / hourMs), 'hour')} ago`;
  return `expired ${plural(-daysLeftUntil(endDateTime, now), 'day')} ago`;
}

export function formatDate(iso: string, zone: string): string {
  // The zone's name rather than an abbreviation: Node's ICU data may only know "GMT+1".
  return `${DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toFormat('d LLL yyyy HH:mm')} ${zone}`;
}

const day = (iso: string, zone: string) => DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toFormat('d LLL');

/** Why a reminder is sent, for the reader: which clause of the policy, and whether more will come. */
export function reminderText(note: ReminderNote, zone: string): string {
  switch (note.kind) {
    case 'daily':
      return 'Daily reminder: Vigil reminds you each day until it is renewed.';
    case 'afterLapse':
      return note.rung < note.of
        ? `Reminder ${note.rung} of ${note.of}: open since ${formatDate(note.since, zone)}.`
        : `Last reminder (${note.rung} of ${note.of}): open since ${formatDate(note.since, zone)}. Vigil stops reminding you of it now; it stays on the status page until it is fixed.`;
    case 'snoozeEnded': {
      const missed = note.missed.map((m) =>
        m.kind === 'threshold'
          ? `the ${m.days}-day mark passed (${day(m.at, zone)})`
          : m.kind === 'expiry'
            ? `it expired (${day(m.at, zone)})`
            : `the ${m.day}-day reminder was held back (${day(m.at, zone)})`,
      );
      return `Snooze ended ${formatDate(note.until, zone)}. ${missed.length > 0 ? `While it was snoozed ${missed.join(', ')}.` : 'Nothing was held back while it was snoozed.'}`;
    }
  }
}
