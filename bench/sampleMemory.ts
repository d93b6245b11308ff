/** Samples this process's memory every 50 ms; `stop` returns the peaks in MB (RSS also from the OS's own high-water mark). */
export function sampleMemory(): { stop(): { rssMb: number; heapMb: number } } {
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 50);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const mb = (bytes: number) => Math.round(bytes / 1_048_576);
      return { rssMb: Math.max(mb(rss), Math.round(process.resourceUsage().maxRSS / 1024)), heapMb: mb(heap) };
    },
  };
}
