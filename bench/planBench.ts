import { parseRunsOption } from './parseRunsOption.js';
import { parseRefreshCase, type RefreshCase } from './refreshBenchReport.js';
import { scanCases, type ScanCase } from './scanCases.js';

/** What `npm run bench` runs: the refresh cases, and the scan cases (none when refresh cases were named). */
export interface BenchPlan {
  json: boolean;
  refresh: { cases: RefreshCase[]; runs: number };
  /** The scan, list and notification benches run only when no refresh case was named. */
  scan: ScanCase[] | undefined;
}

// Steady state: the planner reads as many state rows as it lists, as on every hourly run but the first.
const everyRefreshCase: RefreshCase[] = [
  { connections: 1_000, vaults: 1, steady: true, planOnly: false },
  { connections: 10_000, vaults: 1, steady: true, planOnly: false },
  { connections: 100_000, vaults: 10, steady: true, planOnly: false },
];

const takes =
  'it takes --json, --runs=N (each refresh case N times, each scan case with a memory goal N times but never fewer than 3) and refresh cases: 1000, 10000, 100000x10, each with /first, /plan or /timeline after, e.g. 10000/first;' +
  ' a scan case runs alone, e.g. node dist/local/bin/withLocalCa.js node dist/bench/scanBench.js single 1000';

/**
 * `npm run bench`'s arguments. `--runs=N` reaches every case that takes it: each refresh case runs N times,
 * and the scan cases with a memory goal N times, never fewer than three (scanCases). An argument that is neither an
 * option it knows nor a refresh case is refused, naming it: a mistyped case left out would run the whole bench.
 */
export function planBench(args: readonly string[]): BenchPlan {
  const { runs, rest } = parseRunsOption(args);
  const unknown = rest.filter((a) => a.startsWith('--') && a !== '--json');
  if (unknown.length > 0) throw new Error(`npm run bench: unknown option ${unknown.join(', ')} (${takes})`);
  const named = rest.filter((a) => a !== '--json');
  const parsed = named.map((arg) => ({ arg, refresh: parseRefreshCase(arg) }));
  const unknownCases = parsed.filter((p) => p.refresh === undefined).map((p) => p.arg);
  if (unknownCases.length > 0) throw new Error(`npm run bench: unknown case ${unknownCases.join(', ')} (${takes})`);
  const cases = parsed.flatMap((p) => (p.refresh ? [p.refresh] : []));
  return {
    json: args.includes('--json'),
    refresh: { cases: cases.length > 0 ? cases : everyRefreshCase, runs: runs ?? 1 },
    scan: cases.length > 0 ? undefined : scanCases(runs),
  };
}
