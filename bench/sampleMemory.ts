import { PerformanceObserver, constants } from 'node:perf_hooks';

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
    const m = process.memoryUsage();
    raise('rss', m.rss);
    raise('heap', m.heapUsed);
  };
  const observer = new PerformanceObserver((list) => {
    const full = list
      .getEntries()
      .some((e) => (e as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
    if (full) raise('live', process.memoryUsage().heapUsed);
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
