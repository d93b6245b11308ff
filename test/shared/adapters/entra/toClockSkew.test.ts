import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { toClockSkew } from '../../../../shared/adapters/entra/requestTokenRefresh.js';

describe('toClockSkew', () => {
  it('dates a retry sent 90 s after the refresh began when it is sent, not back to the start (Entra allows 60 s)', () => {
    expect(toClockSkew(DateTime.utc().minus({ seconds: 90 }))).toBe(0);
  });

  it('follows a clock moved ahead, as the local cloud moves it in tests', () => {
    expect(toClockSkew(DateTime.utc().plus({ days: 2 }))).toBeGreaterThanOrEqual(2 * 86_400 - 1);
  });
});
