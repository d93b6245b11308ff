import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { toIsoUtc } from '../../../shared/helpers/toIsoUtc.js';

describe('toIsoUtc', () => {
  it('writes any valid time as RFC 3339 UTC with milliseconds', () => {
    expect(toIsoUtc(DateTime.fromISO('2026-12-04T08:30:00+01:00', { setZone: true }))).toBe('2026-12-04T07:30:00.000Z');
  });

  it('refuses an invalid time instead of writing null', () => {
    expect(() => toIsoUtc(DateTime.fromISO('not a time'))).toThrow(/invalid time/);
  });
});
