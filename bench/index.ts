import { planBench } from './planBench.js';
import { refreshFigures, runRefreshBenchmarks } from './refreshBenchReport.js';
import { runListBench } from './listBench.js';
import { runNotifyBench } from './notifyBench.js';
import { runScanBench } from './scanBench.js';
import { withUnmeasured } from './benchGoals.js';

/**
 * `npm run bench`: Vigil's benchmarks against the local cloud (not part of `npm test`).
 * `npm run bench -- 1000 100000x10` runs only the given refresh cases (connections, or connections × vaults, in steady state; `10000/first` from empty storage; `/plan` at the end: the planning run alone, for its memory; `--runs=N` (N odd) runs each refresh case N times and takes the median run by peak RSS growth, and each scan case with a memory goal N times instead of three; any other argument is refused, naming it). `npm run bench -- --json` prints one JSON
 * object per measured figure on stdout (`case`, `metric`, `value`, `goal`, `ok`, and `how` the floor was
 * worked out) and the human report on stderr. Every goal of issue 15 is a line: one whose case did not run
 * or could not be measured is printed not met, with its reason (benchGoals.ts ISSUE_15_GOALS).
 */
const { json, refresh, scan } = planBench(process.argv.slice(2));
const write = json ? (line: string) => console.error(line) : (line: string) => console.log(line);
// `--runs=3`: each refresh case three times, its figures the median run's by peak RSS growth (all printed).
// Named refresh cases run alone; without one, every refresh case, then the scan, list and notification benches.
const figures = refreshFigures(await runRefreshBenchmarks(refresh.cases, write, refresh.runs));
if (scan) {
  // The expiry scan benchmark (bench/scanBench.ts; alone: node dist/local/bin/withLocalCa.js node dist/bench/scanBench.js),
  // its cases with a memory goal run as often as `--runs=N` says (three times when not given).
  figures.push(...(await runScanBench(write, scan)));
  // The findings API and status page at 1,000 and 100,000 findings (bench/listBench.ts, alone the same way).
  figures.push(...(await runListBench(write)));
  // One hourly cycle of notifications with findings in 1,000 tenants (bench/notifyBench.ts, alone the same way).
  figures.push(...(await runNotifyBench(write)));
}
const every = withUnmeasured(figures);
for (const g of every.slice(figures.length)) write(`  MISS ${g.case}: ${g.metric} not measured (goal ${g.goal}) — ${g.reason}`);
if (json) for (const figure of every) console.log(JSON.stringify(figure));
else {
  // A figure with no goal in issue 15 (goal and ok null) is printed for information, never counted as met.
  const judged = every.filter((g) => g.ok !== null);
  write(
    `\n${judged.filter((g) => g.ok).length} of ${judged.length} figures meet their goal, ${every.length - judged.length} printed without one (npm run bench -- --json for each).`,
  );
}
