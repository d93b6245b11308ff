import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { FindingRecord } from '../../../shared/notifications/NotificationState.js';
import { planSnooze } from '../../../shared/notifications/planSnooze.js';
import { NOW, TENANT } from './notificationFixtures.js';

const finding: FindingRecord = {
  findingId: 'f-1',
  key: 'k',
  type: 'credential.expiring',
  severity: 'high',
  tenantId: TENANT,
  name: 'Creatio CRM',
  endDateTime: NOW.plus({ days: 10 }).toISO()!,
  lastSeen: NOW.toISO()!,
};
const limits = { maxDays: 90, expiryMarginDays: 7 };
const request = (days: number) => ({ until: NOW.plus({ days }), reason: 'replacing the app', by: 'ana@contoso.com' });

describe('planSnooze', () => {
  it('stores the end of a snooze asked in another zone in UTC, as every time Vigil compares', () => {
    const until = DateTime.fromISO('2026-11-28T07:00:00+01:00', { setZone: true });
    const planned = planSnooze(finding, { until, reason: 'r', by: 'b' }, NOW, limits);
    expect(planned).toMatchObject({ kind: 'snoozed', snooze: { until: '2026-11-28T06:00:00.000Z' } });
  });

  it('snoozes until a date within the limits', () => {
    expect(planSnooze(finding, request(5), NOW, limits)).toEqual({
      kind: 'snoozed',
      snooze: { until: '2026-11-28T06:00:00.000Z', reason: 'replacing the app', by: 'ana@contoso.com', at: '2026-11-23T06:00:00.000Z' },
    });
  });

  it('refuses the past, more than the maximum, and beyond expiry plus the margin', () => {
    expect(planSnooze(finding, request(-1), NOW, limits)).toEqual({ kind: 'rejected', reason: 'until must be in the future' });
    expect(planSnooze({ ...finding, endDateTime: NOW.plus({ days: 365 }).toISO()! }, request(91), NOW, limits).kind).toBe('rejected');
    expect(planSnooze(finding, request(17), NOW, limits).kind).toBe('snoozed');
    expect(planSnooze(finding, request(18), NOW, limits)).toEqual({
      kind: 'rejected',
      reason:
        'the credential expires 2026-12-03T06:00:00.000Z; a snooze may last until 7 day(s) after that at most (2026-12-10T06:00:00.000Z)',
    });
  });

  it('allows up to the maximum for findings without an expiry', () => {
    const { endDateTime: _, ...token } = finding;
    expect(planSnooze(token, request(90), NOW, limits).kind).toBe('snoozed');
  });
});
