import { describe, expect, it } from 'vitest';
import { medianRun } from '../../bench/medianRun.js';

describe('medianRun', () => {
  const run = (growthMb: number, wallMs: number) => ({ growthMb, wallMs });
  const growthOf = (r: { growthMb: number }) => r.growthMb;

  it('takes the run with the median peak RSS growth, whole, so its other figures stay its own', () => {
    // Growths 150, 80 and 110 MB: the median is the third run's, with its own wall time.
    expect(medianRun([run(150, 1), run(80, 2), run(110, 3)], growthOf)).toEqual({ growthMb: 110, wallMs: 3 });
    expect(medianRun([run(150, 1)], growthOf)).toEqual({ growthMb: 150, wallMs: 1 });
  });

  it('takes the higher of the middle two for an even count, so a memory goal is never judged on the kinder run', () => {
    expect(medianRun([run(150, 1), run(80, 2)], growthOf)).toMatchObject({ wallMs: 1 });
    expect(medianRun([120, 200, 72, 180], (g) => g)).toBe(180);
  });

  it('refuses a case with no run instead of judging nothing as met', () => {
    expect(() => medianRun([], growthOf)).toThrow('a case needs at least one run');
  });
});
