import type { IntervalHistogram } from 'node:perf_hooks';

/** How late a repeating timer ran on an event loop, in ms: its mean and percentiles over a watch. */
export interface LoopDelay {
  mean: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * The delay `monitorEventLoopDelay({ resolution })` saw, net of the timer's own interval: Node's histogram
 * records the time between two firings of a timer set every `resolution` ms, so an idle loop reads as
 * `resolution`, not 0. Each figure has the interval taken off (never below 0), in ms to two places.
 */
export function loopDelayMs(delay: Pick<IntervalHistogram, 'mean' | 'max' | 'percentile'>, resolutionMs: number): LoopDelay {
  const ms = (ns: number) => Math.round(Math.max(0, ns / 1e6 - resolutionMs) * 100) / 100;
  return { mean: ms(delay.mean), p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) };
}
