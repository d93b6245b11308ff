import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

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

/** A watch of how late this process's event loop runs (watchLoopDelay). */
export interface LoopDelayWatch {
  /** The delay since the watch began or the last split (after stop too). */
  read(): LoopDelay;
  /** read, then a fresh start: one phase of a run told apart from the next. */
  split(): LoopDelay;
  stop(): void;
}

/**
 * The benches' one watch of Vigil's event-loop delay (the refresh timeline's, and the scan timeline's within
 * watchLoopBusy): Node's histogram of a timer set every `resolutionMs`, read as loopDelayMs reads it.
 */
export function watchLoopDelay(resolutionMs: number): LoopDelayWatch {
  const delay = monitorEventLoopDelay({ resolution: resolutionMs });
  delay.enable();
  const read = () => loopDelayMs(delay, resolutionMs);
  return {
    read,
    split() {
      const phase = read();
      delay.reset();
      return phase;
    },
    stop: () => delay.disable(),
  };
}
