import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BENCH_LATENCY, describeFigure, type BenchFigure } from './benchGoals.js';
import { parseRunsOption } from './parseRunsOption.js';
import { runScanCase } from './runScanCase.js';
import type { ScanMeasurement } from './ScanMeasurement.js';
import { GRAPH_LIMITS } from './scanLimits.js';
import { scanCases, type ScanCase } from './scanCases.js';
import { bestMs, f, growth, growthHow, scanFigures } from './scanFigures.js';
import { seconds as s } from './seconds.js';

/**
 * `npm run bench` — expiry scan: requests issued ÷ the fewest possible, wall time ÷ the best time, and
 * memory growth. The best time is the larger of what Graph's published limits force (none below 150
 * requests a minute per tenant) and what the fewest requests take at the latency injected into the
 * local cloud (BENCH_LATENCY), each as soon as what it depends on has answered: the longest chain of
 * requests that must follow one another (the directory's pages, or a whole-tenant evidence read's).
 */
export async function runScanBench(
  write: (line: string) => void = console.log,
  cases: readonly ScanCase[] = scanCases(),
): Promise<BenchFigure[]> {
  write('');
  write('Expiry scan benchmark (local cloud in its own process; Graph limits as published, not shortened:');
  write(
    `  ${GRAPH_LIMITS.keyCredentialSelectsPerMinute} requests/min per tenant selecting keyCredentials, ${GRAPH_LIMITS.resourceUnitsPer10s} RU/10 s per app+tenant, ${GRAPH_LIMITS.appResourceUnitsPer20s} RU/20 s per app;`,
  );
  write(
    `  injected latency per request: Graph ${BENCH_LATENCY.graph} ms, token endpoint ${BENCH_LATENCY.entra} ms, Key Vault ${BENCH_LATENCY.keyvault} ms)`,
  );
  const all: ScanMeasurement[] = [];
  for (const run of cases) all.push(...(await runScanCase(run.args, run.memoryRuns ?? 1)));
  write('');
  write(
    '| Scan | Graph requests | ÷ fewest | Wall | Limits allow | Latency floor | Wall ÷ best | RSS growth | Peak heap | Live heap | Findings | Token requests (+ metadata) |',
  );
  write('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const m of all) {
    write(
      `| ${m.label} | ${m.requests} (${m.throttled} throttled) | ${f(m.requests / m.minimum)} | ${s(m.wallMs)} | ${s(m.limitFloorMs)} | ${s(m.serviceFloorMs)} | ${f(m.wallMs / bestMs(m))} | ${m.rssGrowthRunsMb ? `${growth(m)} MB (${growthHow(m)})` : `${growth(m)} MB (${m.idleRssMb} → ${m.peakRssMb})`} | ${m.peakHeapMb} MB | ${m.liveHeapMb === undefined ? '' : `${m.liveHeapMb} MB`} | ${m.findings} | ${m.tokenRequests} (+ ${m.metadataRequests}) |`,
    );
  }
  for (const m of all.filter((m) => m.cpuSeconds)) {
    const { vigil, localCloud, azurite } = m.cpuSeconds!;
    const cpu = `Vigil ${f(vigil, 1)} s, local cloud ${f(localCloud, 1)} s, Azurite ${azurite === undefined ? '?' : `${f(azurite, 1)} s`}`;
    write(`CPU during ${m.label}: ${cpu} (over ${s(m.wallMs)} of wall on ${availableParallelism()} cores)`);
  }
  for (const m of all.filter((m) => m.storage)) {
    const { requests, tenants, byKind } = m.storage!;
    const kinds = Object.entries(byKind)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, n]) => `${kind} ${f(n / tenants, 2)}`)
      .join(', ');
    write(`Table Storage during ${m.label}: ${requests} requests, ${f(requests / tenants, 2)} per tenant (${kinds})`);
  }
  write('Latency floors: ' + all.map((m) => `${m.label}: ${m.floorHow}`).join('; '));
  write('Best time = max(limits allow, latency floor). RSS growth: peak over the idle baseline after a full collection, before the work.');
  const figures = scanFigures(all);
  for (const g of figures) write(describeFigure(g));
  return figures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Alone: `node dist/bench/scanBench.js [--json] [--runs=N] [single 25000 list messy]` runs the given case only,
  // once unless `--runs` says otherwise; without a case, `--runs` sets how often the cases with a memory goal run (3 at least).
  const json = process.argv.includes('--json');
  const { runs: given, rest } = parseRunsOption(process.argv.slice(2));
  const only = rest.filter((a) => a !== '--json');
  const cases = only.length > 0 ? [{ args: only, memoryRuns: given ?? 1 }] : scanCases(given);
  const figures = await runScanBench(json ? (line) => console.error(line) : console.log, cases);
  if (json) for (const g of figures) console.log(JSON.stringify(g));
}
