/** One scan bench case: scanBenchRun's arguments, and how often it runs (its memory judged on the median run). */
export interface ScanCase {
  args: string[];
  memoryRuns?: number;
}

/**
 * Runs of each case whose figures hold a peak RSS growth goal (the messy tenant's, 100,000 ÷ 1,000 apps): the
 * same code's growth varied from 72 to 180 MB between runs, as V8 collected sooner or later. Each run is printed,
 * and the goal judged on their median (about 14 minutes more for the whole bench).
 */
const MEMORY_RUNS = 3;

/**
 * Every scan case the bench runs; `runs` (`--runs=N`) sets how often the cases with a memory goal run, never
 * fewer than MEMORY_RUNS: one run's peak is mostly when V8 chose to collect, and `--runs=1` (the refresh cases
 * once each) would judge those goals on it. The other cases run once: their goals are no memory figures.
 */
export function scanCases(runs: number = MEMORY_RUNS): ScanCase[] {
  const memoryRuns = Math.max(runs, MEMORY_RUNS);
  return [
    { args: ['single', '1000'], memoryRuns },
    { args: ['single', '10000', 'list'] },
    { args: ['single', '25000', 'list', 'messy'], memoryRuns },
    { args: ['single', '100000', 'delta'], memoryRuns },
    { args: ['paced', '150000'] },
    { args: ['tenants', '1000', '200'] },
  ];
}
