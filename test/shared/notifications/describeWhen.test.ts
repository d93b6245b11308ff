import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { reminderText, untilPhrase } from '../../../shared/notifications/describeWhen.js';

const end = '2026-12-03T06:00:00.000Z';
const at = (hoursBeforeEnd: number) => DateTime.fromISO(end, { zone: 'utc' }).minus({ hours: hoursBeforeEnd });

describe('untilPhrase', () => {
  it.each([
    [240, 'expires in 10 days'],
    [25, 'expires in 2 days'],
    [24, 'expires in 1 day'],
    [5, 'expires in 5 hours'],
    [1, 'expires in 1 hour'],
    [0.5, 'expires within the hour'],
    [0, 'expired less than an hour ago'],
    [-1, 'expired 1 hour ago'],
    [-23, 'expired 23 hours ago'],
    [-24, 'expired 1 day ago'],
    [-24 * 12 - 5, 'expired 12 days ago'],
  ])('%s hours before the end: "%s"', (hours, phrase) => {
    expect(untilPhrase(end, at(hours))).toBe(phrase);
  });

  it('never says "expires" once the end has passed, at any minute of the day after it', () => {
    for (let minutes = 0; minutes <= 48 * 60; minutes += 7)
      expect(untilPhrase(end, DateTime.fromISO(end, { zone: 'utc' }).plus({ minutes }))).toMatch(/^expired /);
  });
});

describe('reminderText', () => {
  it('says which reminder it is, and that the last one is the last', () => {
    expect(reminderText({ kind: 'afterLapse', rung: 2, of: 6, since: '2026-11-20T06:00:00Z' }, 'UTC')).toBe(
      'Reminder 2 of 6: open since 20 Nov 2026 06:00 UTC.',
    );
    expect(reminderText({ kind: 'afterLapse', rung: 6, of: 6, since: '2026-11-20T06:00:00Z' }, 'UTC')).toBe(
      'Last reminder (6 of 6): open since 20 Nov 2026 06:00 UTC. Vigil stops reminding you of it now; it stays on the status page until it is fixed.',
    );
  });

  it('names what a snooze held back, or that it held back nothing', () => {
    expect(
      reminderText(
        {
          kind: 'snoozeEnded',
          until: '2026-12-01T09:00:00Z',
          missed: [
            { kind: 'threshold', days: 7, at: '2026-11-26T06:00:00Z' },
            { kind: 'expiry', at: '2026-11-30T06:00:00Z' },
            { kind: 'reminder', day: 1, at: '2026-12-01T00:00:00Z' },
          ],
        },
        'Europe/Amsterdam',
      ),
    ).toBe(
      'Snooze ended 1 Dec 2026 10:00 Europe/Amsterdam. While it was snoozed the 7-day mark passed (26 Nov), it expired (30 Nov), the 1-day reminder was held back (1 Dec).',
    );
    expect(reminderText({ kind: 'snoozeEnded', until: '2026-12-01T09:00:00Z', missed: [] }, 'UTC')).toMatch(
      /Nothing was held back while it was snoozed\.$/,
    );
  });
});
