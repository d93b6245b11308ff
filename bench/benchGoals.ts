import type { ServiceLatency } from '../local/cloud/http/latency.js';

/**
 * What every request to the local cloud costs in the benchmarks (issue 15's decision on the measure): a
 * network path to Azure, so that a floor is the time the fewest requests take, not a bare local read.
 * `tableStorage` is what a Table Storage request in the Functions app's own region is taken to cost:
 * Microsoft publishes no latency for Table Storage ("fast, but no upper bounds on latency",
 * learn.microsoft.com/azure/cosmos-db/table-support), and its Cosmos DB counterpart promises reads under
 * 10 ms at the 99th percentile (same page). Azurite is not slowed down; the list bench adds it per request.
 */
export const BENCH_LATENCY = { graph: 250, entra: 100, keyvault: 30, tableStorage: 10 } as const satisfies ServiceLatency & {
  tableStorage: number;
};

/** One measured figure against its goal: `npm run bench -- --json` prints one a line. */
export interface BenchFigure {
  case: string;
  metric: string;
  value: number;
  /** The goal as written in issue 15, e.g. "≤ 1.15". */
  goal: string;
  ok: boolean;
  /** How the value (or its floor) was worked out. */
  how?: string;
}

/** A figure whose goal is an upper bound. */
export function atMost(kase: string, metric: string, value: number, bound: number, how?: string): BenchFigure {
  return { case: kase, metric, value: Math.round(value * 1000) / 1000, goal: `≤ ${bound}`, ok: value <= bound, ...(how ? { how } : {}) };
}
