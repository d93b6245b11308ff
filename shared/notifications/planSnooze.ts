import { DateTime } from 'luxon';
import type { FindingRecord, Snooze } from './NotificationState.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

export interface SnoozeRequest {
  until: DateTime;
  reason: string;
  by: string;
}

export interface SnoozeLimits {
  /** At most 90 (the settings enforce it). */
  maxDays: number;
  /** How long a snooze may outlast the credential's expiry. */
  expiryMarginDays: number;
}

export type SnoozePlan = { kind: 'snoozed'; snooze: Snooze } | { kind: 'rejected'; reason: string };

/**
 * A snooze silences a known finding until a date: never in the past, never more than `maxDays` ahead,
 * and never beyond the credential's expiry plus the margin, so a snooze cannot sleep through an outage.
 */
export function planSnooze(finding: FindingRecord, request: SnoozeRequest, now: DateTime, limits: SnoozeLimits): SnoozePlan {
  const until = request.until.toUTC();
  if (until <= now) return { kind: 'rejected', reason: 'until must be in the future' };
  const latest = now.plus({ days: limits.maxDays });
  if (until > latest) return { kind: 'rejected', reason: `until may be at most ${limits.maxDays} days ahead (${latest.toUTC().toISO()})` };
  if (finding.endDateTime) {
    const cap = DateTime.fromISO(finding.endDateTime, { zone: 'utc' }).plus({ days: limits.expiryMarginDays });
    if (until > cap) {
      return {
        kind: 'rejected',
        reason: `the credential expires ${finding.endDateTime}; a snooze may last until ${limits.expiryMarginDays} day(s) after that at most (${cap.toUTC().toISO()})`,
      };
    }
  }
  return { kind: 'snoozed', snooze: { until: toIsoUtc(until), reason: request.reason, by: request.by, at: toIsoUtc(now) } };
}
