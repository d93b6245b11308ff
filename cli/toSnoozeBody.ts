import { DateTime, Duration } from 'luxon';
import type { SnoozeBody } from './Command.js';
import { toIsoUtc } from '../shared/helpers/toIsoUtc.js';

export interface SnoozeFlags {
  until?: string | undefined;
  for?: string | undefined;
  reason?: string | undefined;
  by?: string | undefined;
}

/**
 * `--for 7d` (or `2w`) becomes whole days, as the API takes them; `--for 12h` or an ISO 8601 duration
 * (`P1DT12H`) becomes an end time from `now`. `--until` without an offset is read in `zone`, the
 * person's own, so `--until 2026-12-24T09:00` means nine o'clock where they sit.
 */
export function toSnoozeBody(flags: SnoozeFlags, now: DateTime, zone = 'local'): SnoozeBody | { error: string } {
  const reason = flags.reason?.trim();
  if (!reason) return { error: 'snooze needs --reason "why it can wait" (it is shown wherever the finding is)' };
  const by = flags.by === undefined ? {} : { by: flags.by };
  if ((flags.until === undefined) === (flags.for === undefined)) return { error: 'snooze needs either --until TIME or --for DURATION' };
  if (flags.until !== undefined) {
    const until = DateTime.fromISO(flags.until, { zone, setZone: true });
    if (!until.isValid) return { error: `--until ${flags.until}: not a time (give e.g. 2026-12-24T09:00 or 2026-12-24T09:00Z)` };
    return { until: toIsoUtc(until), reason, ...by };
  }
  const text = flags.for!.trim();
  const short = /^(\d+)\s*([dwh]?)$/i.exec(text);
  if (short) {
    const count = Number(short[1]);
    const unit = (short[2] ?? '').toLowerCase();
    if (count < 1) return { error: `--for ${text}: give at least 1` };
    if (unit === 'h') return { until: toIsoUtc(now.plus({ hours: count })), reason, ...by };
    return { days: unit === 'w' ? count * 7 : count, reason, ...by };
  }
  const duration = Duration.fromISO(text.toUpperCase());
  if (!duration.isValid || duration.toMillis() <= 0)
    return { error: `--for ${text}: give days (7d), weeks (2w), hours (12h) or an ISO 8601 duration (P1DT12H)` };
  return { until: toIsoUtc(now.plus(duration)), reason, ...by };
}
