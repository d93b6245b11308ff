import { describe, expect, it } from 'vitest';
import { utcDayOf } from '../../../shared/scanner/tallyFindings.js';

describe('utcDayOf', () => {
  it.each([
    ['2026-11-23T23:59:59Z', '2026-11-23'],
    ['2026-11-23T23:59:59.9999999Z', '2026-11-23'],
    ['2026-11-23T23:30:00-02:00', '2026-11-24'],
    ['2026-11-24T00:30:00+01:00', '2026-11-23'],
    ['2026-11-24T00:30:00.000+01:00', '2026-11-23'],
  ])("%s ends on the UTC day %s (the status page's timeline)", (instant, day) => {
    expect(utcDayOf(instant)).toBe(day);
  });
});
