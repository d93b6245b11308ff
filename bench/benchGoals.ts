import type { ServiceLatency } from '../local/cloud/http/latency.js';

/**
 * What every request to the local cloud costs in the benchmarks (issue 15's decision on the measure): a
 * network path to Azure, so that a floor is the time the fewest requests take, not a bare local read.
 */
export const BENCH_LATENCY = { graph: 250, entra: 100, keyvault: 30 } as const satisfies ServiceLatency;

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
