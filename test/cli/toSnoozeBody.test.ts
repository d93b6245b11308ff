import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { toSnoozeBody } from '../../cli/toSnoozeBody.js';

const now = DateTime.fromISO('2026-12-04T10:00:00Z', { zone: 'utc' });
const reason = 'waiting for the vendor';

describe('toSnoozeBody', () => {
  it('sends whole days as days, and hours or ISO durations as an end time from now', () => {
    expect(toSnoozeBody({ for: '7d', reason }, now)).toEqual({ days: 7, reason });
    expect(toSnoozeBody({ for: '5', reason, by: 'ana' }, now)).toEqual({ days: 5, reason, by: 'ana' });
    expect(toSnoozeBody({ for: '2w', reason }, now)).toEqual({ days: 14, reason });
    expect(toSnoozeBody({ for: '36h', reason }, now)).toEqual({ until: '2026-12-05T22:00:00.000Z', reason });
    expect(toSnoozeBody({ for: 'P1DT12H', reason }, now)).toEqual({ until: '2026-12-05T22:00:00.000Z', reason });
  });

  it('reads --until in the person’s zone unless it carries an offset, and sends it in UTC', () => {
    expect(toSnoozeBody({ until: '2026-12-24T09:00', reason }, now, 'Europe/Berlin')).toEqual({
      until: '2026-12-24T08:00:00.000Z',
      reason,
    });
    expect(toSnoozeBody({ until: '2026-12-24T09:00-05:00', reason }, now, 'Europe/Berlin')).toEqual({
      until: '2026-12-24T14:00:00.000Z',
      reason,
    });
  });

  it('says what is missing or malformed', () => {
    expect(toSnoozeBody({ for: '7d' }, now)).toEqual({ error: expect.stringContaining('--reason') });
    expect(toSnoozeBody({ reason }, now)).toEqual({ error: expect.stringContaining('either --until TIME or --for DURATION') });
    expect(toSnoozeBody({ for: '7d', until: '2026-12-24', reason }, now)).toEqual({ error: expect.stringContaining('either') });
    expect(toSnoozeBody({ until: 'Friday', reason }, now)).toEqual({ error: expect.stringContaining('--until Friday: not a time') });
    expect(toSnoozeBody({ for: 'a while', reason }, now)).toEqual({ error: expect.stringContaining('--for a while') });
    expect(toSnoozeBody({ for: '0d', reason }, now)).toEqual({ error: expect.stringContaining('at least 1') });
  });
});
