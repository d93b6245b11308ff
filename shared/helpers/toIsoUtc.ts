import type { DateTime } from 'luxon';

/**
 * A time as Vigil stores and sends it: RFC 3339 in UTC with milliseconds (`2026-12-04T07:00:00.000Z`).
 * Luxon types `toISO()` as nullable for an invalid DateTime; every time Vigil writes comes from a valid
 * one (the clock, a parsed and checked input), so an invalid one is a bug and throws here, once.
 */
export function toIsoUtc(time: DateTime): string {
  const iso = time.toUTC().toISO();
  if (iso === null) throw new Error(`invalid time: ${time.invalidExplanation ?? time.invalidReason ?? 'unknown'}`);
  return iso;
}
