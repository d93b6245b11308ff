import { PerformanceObserver, constants } from 'node:perf_hooks';

export interface MemoryPeaks {
  /** Resident set size, the OS's view (includes garbage not yet collected and V8's reserve). */
  rssMb: number;
  /** Heap in use, garbage included. */
  heapMb: number;
  /** Heap in use right after a full collection: what the process actually holds on to. */
  liveHeapMb: number;
}

/** Samples this process's memory every 200 ms and after every full GC (without forcing any); `stop` returns the peaks in MB. */
export function sampleMemory(): { stop(): MemoryPeaks } {
  let rss = 0;
  let heap = 0;
  let live = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  const observer = new PerformanceObserver((list) => {
    const full = list
      .getEntries()
      .some((e) => (e as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
    if (full) live = Math.max(live, process.memoryUsage().heapUsed);
  });
  observer.observe({ entryTypes: ['gc'] });
  sample();
  const timer = setInterval(sample, 200);
  return {
    stop() {
      clearInterval(timer);
      observer.disconnect();
      sample();
      const mb = (bytes: number) => Math.round(bytes / 1_048_576);
      return { rssMb: Math.max(mb(rss), Math.round(process.resourceUsage().maxRSS / 1024)), heapMb: mb(heap), liveHeapMb: mb(live) };
    },
  };
}
