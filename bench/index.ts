import { runRefreshBenchmarks } from './refreshBenchReport.js';
import { runScanBench } from './scanBench.js';

/**
 * `npm run bench`: Vigil's benchmarks against the local cloud (not part of `npm test`).
 * `npm run bench -- 1000` runs only the given sizes.
 */
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0);
await runRefreshBenchmarks(sizes.length > 0 ? sizes : [1_000, 10_000]);
// The expiry scan benchmark (bench/scanBench.ts; alone: node dist/local/bin/withLocalCa.js node dist/bench/scanBench.js).
if (sizes.length === 0) await runScanBench();
