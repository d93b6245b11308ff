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
  /** null where the figure was not measured (`reason` says why). */
  value: number | null;
  /** The goal as written in issue 15, e.g. "≤ 1.15"; null for a figure printed against no goal (see unjudged). */
  goal: string | null;
  /** Whether the value meets its goal; null where there is no goal, so the figure is neither met nor missed. */
  ok: boolean | null;
  /** How the value (or its floor) was worked out. */
  how?: string;
  /** Why a figure has no value: one with a goal is then not met, never left out; one with none stays neither (ok null). */
  reason?: string;
}

/** A figure whose goal is an upper bound. */
export function atMost(kase: string, metric: string, value: number, bound: number, how?: string): BenchFigure {
  return { case: kase, metric, value: Math.round(value * 1000) / 1000, goal: `≤ ${bound}`, ok: value <= bound, ...(how ? { how } : {}) };
}

/**
 * A figure issue 15's goal table sets no goal for, printed so that nothing measured is hidden: `goal` and
 * `ok` null, never counted as met or missed.
 */
export function unjudged(kase: string, metric: string, value: number, how?: string): BenchFigure {
  return { case: kase, metric, value: Math.round(value * 1000) / 1000, goal: null, ok: null, ...(how ? { how } : {}) };
}

/** A figure as the human report prints it: met, missed, or printed for information with no goal. */
export function describeFigure(g: BenchFigure): string {
  const verdict = g.ok === null ? 'info' : g.ok ? 'ok  ' : 'MISS';
  const value = g.value ?? `not measured (${g.reason ?? 'no reason given'})`;
  return `  ${verdict} ${g.case}: ${g.metric} ${value} (goal ${g.goal ?? 'none in issue 15'})${g.how ? ` — ${g.how}` : ''}`;
}

/**
 * A figure with no measured value, with why: a goal's is printed as not met; one with no goal (`goal`
 * null, see unjudged) as neither met nor missed, never as a value.
 */
export function notMeasured(kase: string, metric: string, goal: string | null, reason: string): BenchFigure {
  return { case: kase, metric, value: null, goal, ok: goal === null ? null : false, reason };
}

/** One of issue 15's goals ("Goals (each a line in the bench)"): the case and metric of the figure that checks it. */
interface IssueGoal {
  case: string;
  metric: string;
  goal: string;
  /** Which printed case checks it: labels carry figures (sizes, findings), so they are matched from the start. */
  caseStarts: string;
}

const goal = (kase: string, metric: string, bound: string, caseStarts = kase): IssueGoal => ({
  case: kase,
  metric,
  goal: bound,
  caseStarts,
});
const fullScan = (size: string) => [
  goal(`${size} apps, full (first scan)`, 'requests ÷ fewest', '≤ 1.02', `${size} apps, full (first scan)`),
  goal(`${size} apps, full (first scan)`, 'wall ÷ floor', '≤ 1.15', `${size} apps, full (first scan)`),
];

/**
 * Every goal of issue 15, each a line that `npm run bench -- --json` must print: a goal whose case did
 * not run, or whose figure could not be measured, is printed `ok: false` with a reason (withUnmeasured).
 */
export const ISSUE_15_GOALS: readonly IssueGoal[] = [
  ...fullScan('1,000'),
  ...fullScan('10,000'),
  ...fullScan('100,000'),
  goal('100,000 apps, delta (1% changed)', 'requests', '≤ 3', '100,000 apps, delta'),
  goal('100,000 apps, delta (1% changed)', 'wall ÷ floor', '≤ 1.15', '100,000 apps, delta'),
  goal('150,000 apps, full (first scan; 150/min binds)', 'wall ÷ limit floor', '≤ 1.05'),
  // "Keep every existing correctness gate": where Graph's limits bind, pacing must cost no 429 of Vigil's own.
  goal('150,000 apps, full (first scan; 150/min binds)', 'self-inflicted 429s', '≤ 0'),
  goal('1,000 tenants × 200 apps, full via queue', 'wall ÷ floor', '≤ 1.25'),
  goal('1,000 tenants × 200 apps, full via queue', 'Graph requests ÷ fewest', '≤ 1.02'),
  goal('1,000 tenants × 200 apps, full via queue', 'token requests ÷ fewest', '≤ 1.02'),
  goal('25,000 apps (messy)', 'first scan wall ÷ next daily full scan', '≤ 2'),
  goal('25,000 apps (messy)', 'first scan peak RSS growth (MB)', '≤ 130'),
  goal('25,000 apps (messy)', 'daily full scan peak RSS growth (MB)', '≤ 100'),
  goal('memory 100,000 ÷ 1,000 apps', 'live heap', '≤ 1.2'),
  goal('memory 100,000 ÷ 1,000 apps', 'peak RSS growth', '≤ 1.5'),
  goal('refresh, 10,000 connections, one vault', 'wall ÷ floor', '≤ 1.15'),
  goal('refresh, 100,000 connections over 10 vaults', 'Key Vault requests ÷ minimum', '≤ 1'),
  goal('refresh, 100,000 connections over 10 vaults', 'token endpoint calls ÷ minimum', '≤ 1'),
  goal('refresh, 100,000 connections over 10 vaults', 'wall ÷ floor', '≤ 1.15'),
  goal('refresh, 100,000 connections over 10 vaults', 'peak RSS growth ÷ the 10,000 case', '≤ 1.5'),
  goal('notifications, one hourly cycle, findings in all 1,000 tenants', 'mails per route ÷ windows', '≤ 1'),
  goal('notifications, one hourly cycle, findings in all 1,000 tenants', 'Teams cards per channel ÷ windows', '≤ 1'),
  goal('notifications, one hourly cycle, findings in all 1,000 tenants', 'mails from one mailbox in any minute', '≤ 30'),
  goal('notifications, one hourly cycle, findings in all 1,000 tenants', 'outbox drain ÷ floor', '≤ 1.2'),
  goal('findings API first page, 100,000 ÷ 1,000 findings', 'server time', '≤ 2'),
  goal('status page, 100,000 ÷ 1,000 findings', 'server time', '≤ 2'),
];

/**
 * The figures, then a not-met line for each of issue 15's goals that no figure checks: a case that did
 * not run in this invocation, or a figure its case could not measure, is never silently missing. A figure
 * printed against no goal (`ok: null`) checks none, even where its case and metric match one.
 */
export function withUnmeasured(figures: readonly BenchFigure[], reason = 'its case did not run in this invocation'): BenchFigure[] {
  const missing = ISSUE_15_GOALS.filter(
    (g) => !figures.some((f) => f.ok !== null && f.metric === g.metric && f.case.startsWith(g.caseStarts)),
  );
  return [...figures, ...missing.map((g) => notMeasured(g.case, g.metric, g.goal, reason))];
}
