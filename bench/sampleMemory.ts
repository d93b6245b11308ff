import { PerformanceObserver, constants } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

/**
 * This process's resident set and heap in use, in bytes: the one home of the benches' memory reading.
 * The same figures as `process.memoryUsage()`'s `rss` and `heapUsed` (V8's `used_heap_size`), read at the
 * same cost: the heap statistics are the same V8 call, the resident set the same read of the OS. In the
 * process running Vigil's handlers (`tenants 200 200`, load 5 on 2 cores) a reading took a median 0.04 ms
 * as the first call after the sampler's timer wakes, 0.01 ms after another; the sampler's share of a CPU
 * profile there (0.3 s over a 55 s run) is its waking on a loaded machine, not the reading.
 */
export function memoryNow(): { rss: number; heapUsed: number } {
  return { rss: process.memoryUsage.rss(), heapUsed: getHeapStatistics().used_heap_size };
}

/** RSS after a full collection, in MB: the process's idle baseline before the measured work. */
export function idleRssMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round(memoryNow().rss / 1_048_576);
}

export interface MemoryPeaks {
  /** Resident set size, the OS's view (includes garbage not yet collected and V8's reserve). */
  rssMb: number;
  /** Heap in use, garbage included. */
  heapMb: number;
  /** Heap in use right after a full collection: what the process actually holds on to (0: no full collection ran). */
  liveHeapMb: number;
}

/**
 * Samples this process's memory every 200 ms and after every full GC (without forcing any). `split` returns
 * the peaks since the start or the last split (a phase of the run: its RSS as sampled), `stop` the peaks of
 * the whole run, in MB.
 */
export function sampleMemory(): { split(): MemoryPeaks; stop(): MemoryPeaks } {
  const whole = { rss: 0, heap: 0, live: 0 };
  let phase = { rss: 0, heap: 0, live: 0 };
  const raise = (key: keyof typeof whole, bytes: number) => {
    whole[key] = Math.max(whole[key], bytes);
    phase[key] = Math.max(phase[key], bytes);
  };
  const sample = () => {
    const m = memoryNow();
    raise('rss', m.rss);
    raise('heap', m.heapUsed);
  };
  const observer = new PerformanceObserver((list) => {
    const full = list
      .getEntries()
      .some((e) => (e as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
    if (full) raise('live', memoryNow().heapUsed);
  });
  observer.observe({ entryTypes: ['gc'] });
  sample();
  const timer = setInterval(sample, 200);
  const mb = (bytes: number) => Math.round(bytes / 1_048_576);
  return {
    split() {
      sample();
      const peaks = { rssMb: mb(phase.rss), heapMb: mb(phase.heap), liveHeapMb: mb(phase.live) };
      phase = { rss: 0, heap: 0, live: 0 };
      return peaks;
    },
    stop() {
      clearInterval(timer);
      observer.disconnect();
      sample();
      return {
        rssMb: Math.max(mb(whole.rss), Math.round(process.resourceUsage().maxRSS / 1024)),
        heapMb: mb(whole.heap),
        liveHeapMb: mb(whole.live),
      };
    },
  };
}

/**
 * Samples this process's memory every 20 ms during one phase (a scan): the peak RSS and heap in use, in MB,
 * when the returned function is called. A peak that lasts less than 20 ms between two samples is missed;
 * the phase's end is sampled too.
 */
export function samplePeak(): () => { rssMb: number; heapMb: number } {
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const m = memoryNow();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 20);
  return () => {
    clearInterval(timer);
    sample();
    return { rssMb: Math.round(rss / 1_048_576), heapMb: Math.round(heap / 1_048_576) };
  };
}
