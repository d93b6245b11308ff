import { describe, expect, it } from 'vitest';
import { loopDelayMs, watchLoopDelay } from '../../bench/loopDelay.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

describe("the bench's watch of Vigil's event-loop delay", () => {
  it('tells one phase from the next: a split reads the delay so far and starts afresh', async () => {
    const loop = watchLoopDelay(1);
    // Node's timer records the time between its firings: it must have fired once before the loop is held.
    await pause(20);
    const from = performance.now();
    // Code that holds the loop for 300 ms, then a turn of the loop for the timer to record it.
    while (performance.now() - from < 300);
    await pause(10);
    const first = loop.split();
    await pause(10);
    loop.stop();
    expect(first.max).toBeGreaterThan(250);
    // The held loop was the first phase's alone (a loaded machine may still hold the second for a while).
    expect(loop.read().max).toBeLessThan(250);
    expect(loop.read()).toEqual(loop.read());
  });
});
