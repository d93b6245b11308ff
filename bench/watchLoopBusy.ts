import { performance } from 'node:perf_hooks';
import { watchLoopDelay } from './loopDelay.js';
import { seconds } from './seconds.js';

/**
 * A stretch when Vigil's event loop could not see an answer that had arrived, and the CPU time the process used in
 * it (`process.cpuUsage()`: all its threads, the garbage collector's and libuv's too): near the stretch's length,
 * it ran code (or collected garbage); far below, it waited for a core (a loaded machine).
 */
type Stretch = readonly [start: number, end: number, cpuMs: number];

/** A 1 ms timer that fires later than this is counted as the loop having been busy (a few ms is the timer's own jitter). */
const LATE_MS = 2;

export interface LoopBusy {
  /**
   * Between two `performance.now()` times: how long the loop was late (could not see an answer), and the process
   * CPU within that (each late stretch's share of the process's CPU time, all threads; the rest it waited for a core).
   */
  lateWithin(from: number, to: number): { late: number; processCpu: number };
  /** Stops watching; the stretches seen stay. */
  stop(): void;
  /** The whole watch in words: process CPU share, longest stretch, the loop's delay percentiles and utilisation. */
  describe(): string;
}

/**
 * Watches this process's event loop while a bench runs (`timeline` only): a 1 ms timer that fires late means
 * the loop was running something else for that long. A response that arrives then waits for the loop before
 * Vigil's code sees it, so a request's time splits into the time its answer was due (the injected latency),
 * the loop's late time after that with the process's CPU in it (Vigil's code, mostly) and the rest (the local
 * cloud's own handling, the network).
 */
export function watchLoopBusy(): LoopBusy {
  const stretches: Stretch[] = [];
  const resolutionMs = 5;
  const delay = watchLoopDelay(resolutionMs);
  const utilisation = performance.eventLoopUtilization();
  const started = performance.now();
  let last = started;
  let cpu = process.cpuUsage();
  const timer = setInterval(() => {
    const now = performance.now();
    const used = process.cpuUsage(cpu);
    if (now - last > 1 + LATE_MS) stretches.push([last + 1, now, (used.user + used.system) / 1000]);
    last = now;
    cpu = process.cpuUsage();
  }, 1);
  let stopped: number | undefined;
  return {
    lateWithin(from, to) {
      const within = { late: 0, processCpu: 0 };
      for (const [start, end, cpuMs] of stretches) {
        if (end <= from || start >= to) continue;
        const late = Math.min(end, to) - Math.max(start, from);
        within.late += late;
        within.processCpu += late * Math.min(1, cpuMs / (end - start));
      }
      return within;
    },
    stop() {
      clearInterval(timer);
      delay.stop();
      stopped ??= performance.now();
    },
    describe() {
      const span = (stopped ?? performance.now()) - started;
      const late = stretches.reduce((n, [start, end]) => n + end - start, 0);
      const processCpu = stretches.reduce((n, [start, end, cpuMs]) => n + Math.min(end - start, cpuMs), 0);
      const longest = stretches.reduce((n, [start, end]) => Math.max(n, end - start), 0);
      // A stretch whose process CPU was about its whole length: most likely one run of Vigil's code (a tenant's page, parsed and judged) holding the loop.
      const longestRunning = stretches.reduce((n, [start, end, cpuMs]) => (cpuMs >= 0.9 * (end - start) ? Math.max(n, end - start) : n), 0);
      const delayMs = delay.read();
      const elu = performance.eventLoopUtilization(utilisation).utilization;
      return (
        `Vigil's event loop over ${seconds(span)}: late ${seconds(late)} in ${stretches.length} stretches over ` +
        `${LATE_MS} ms (longest ${longest.toFixed(0)} ms; longest with process CPU throughout ${longestRunning.toFixed(0)} ms), of which process CPU (all threads) ` +
        `${seconds(processCpu)} and the rest, waiting for a core, ${seconds(late - processCpu)}; utilisation ${(elu * 100).toFixed(0)}%; ` +
        `delay past the ${resolutionMs} ms timer's interval p50 ${delayMs.p50.toFixed(0)} ms, p99 ${delayMs.p99.toFixed(0)} ms, max ${delayMs.max.toFixed(0)} ms`
      );
    },
  };
}
