import { describe, expect, it } from 'vitest';
import { loopDelayMs } from '../../bench/loopDelay.js';

describe("the bench's event-loop delay", () => {
  it("takes the timer's own interval off what Node's histogram records, so an idle loop reads 0", () => {
    // Node records the time between firings of a timer set every `resolution` ms (in ns): idle, that is the resolution.
    const percentiles: Record<number, number> = { 50: 5_000_000, 99: 7_500_000 };
    const histogram = { mean: 5_200_000, max: 40_000_000, percentile: (p: number) => percentiles[p] ?? Number.NaN };
    expect(loopDelayMs(histogram, 5)).toEqual({ mean: 0.2, p50: 0, p99: 2.5, max: 35 });
  });

  it('never reads below 0 when a timer fired a little early', () => {
    const histogram = { mean: 900_000, max: 1_000_000, percentile: () => 990_000 };
    expect(loopDelayMs(histogram, 1)).toEqual({ mean: 0, p50: 0, p99: 0, max: 0 });
  });
});
