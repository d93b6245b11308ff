import { describe, expect, it } from 'vitest';
import { toClockSkew } from '../../../../shared/adapters/entra/Clock.js';

describe('toClockSkew', () => {
  it('is read when a request is sent: with the wall clock, a retry 90 s after the refresh began is dated then (Entra allows 60 s)', () => {
    expect(toClockSkew(Date.now)).toBe(0);
  });

  it('follows a clock moved ahead, as the local cloud moves it in tests', () => {
    expect(toClockSkew(() => Date.now() + 2 * 86_400_000)).toBe(2 * 86_400);
  });
});
