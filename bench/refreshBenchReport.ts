import { fork } from 'node:child_process';
import path from 'node:path';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { atMost, BENCH_LATENCY, notMeasured, type BenchFigure } from './benchGoals.js';
import { limitBoundSeconds } from './minimumRequests.js';
import { describeCallTimes } from './timeCalls.js';
import { describeTimeline } from './refreshTimeline.js';
import { medianRun } from './medianRun.js';
import type { MemoryPeaks } from './sampleMemory.js';
import { WRITE_BACK_EVERY, type RefreshBenchResult } from './refreshBench.js';
import { queueHostOptions } from '../local/devhost/queueListener.js';
import { vigilCpuProfileArgs } from './vigilCpuProfile.js';
import { seconds } from './seconds.js';

/**
 * A refresh run: `connections` dealt round `vaults` vaults, in steady state (every connection has the
 * state row its last refresh left, as on every hourly run but the very first) unless `steady` is false;
 * `planOnly`: the planning run alone, its messages queued and none refreshed (no goal is judged on it).
 */
export interface RefreshCase {
  connections: number;
  vaults: number;
  steady: boolean;
  planOnly: boolean;
  /** `/timeline`: a per-message timeline of the probes' handlers (refreshTimeline.ts; its bookkeeping costs CPU). */
  withTimeline?: boolean;
}

/**
 * `1000` (one vault) or `100000x10` (over 10 vaults), as `npm run bench --` takes them; `/first` after
 * either runs from empty storage, as the very first run does; `/plan` at the end runs the planner alone;
 * `/timeline` at the end adds a per-message timeline of the refreshes.
 */
export function parseRefreshCase(arg: string): RefreshCase | undefined {
  const match = /^(\d+)(?:x(\d+))?(\/first)?(\/plan)?(\/timeline)?$/.exec(arg);
  if (!match) return undefined;
  const [connections, vaults] = [Number(match[1]), Number(match[2] ?? 1)];
  return connections > 0 && vaults > 0
    ? { connections, vaults, steady: match[3] === undefined, planOnly: match[4] !== undefined, withTimeline: match[5] !== undefined }
    : undefined;
}

/**
 * Runs the refresh benchmark for each case, each in its own process, and prints the ratios the issue asks for.
 * With `runs` above 1 each case runs that many times, every run is printed, and the case's figures are the
 * run with the median peak RSS growth (see medianRun).
 */
export async function runRefreshBenchmarks(
  cases: RefreshCase[],
  write: (line: string) => void = console.log,
  runs = 1,
): Promise<RefreshBenchResult[]> {
  write(
    `Refresh benchmark: local cloud with Azure's Key Vault limits (300 creates, 4,000 other requests per 10 s per vault), Azurite for state, leases and events;`,
  );
  write(
    `injected latency per request: Key Vault ${BENCH_LATENCY.keyvault} ms, token endpoint ${BENCH_LATENCY.entra} ms (Azurite none: storage time counts against Vigil);`,
  );
  write(
    `10 apps, 1 in ${WRITE_BACK_EVERY} connections due for write-back, queue messages taken as one instance's listener takes them (host.json batchSize ${queueHostOptions.batchSize}, a new batch at ${queueHostOptions.newBatchThreshold} or fewer in flight).`,
  );
  write(
    `Floor = max(what Key Vault's per-vault limits allow the busiest vault, what the fewest requests take at that latency through the host's queue listener's rule, simulated).`,
  );
  const results: RefreshBenchResult[] = [];
  for (const kase of cases) {
    const tries: RefreshBenchResult[] = [];
    for (let i = 0; i < runs; i += 1) {
      const result = await runInChild(kase);
      tries.push(result);
      write('');
      for (const line of describe(result)) write(`${runs > 1 ? `[run ${i + 1} of ${runs}] ` : ''}${line}`);
    }
    const median = medianRun(tries, rssGrowthMb);
    results.push(median);
    if (runs > 1)
      write(
        `${labelOf(kase)}: peak RSS growth over ${runs} runs ${tries.map((t) => `${rssGrowthMb(t)} MB`).join(', ')} (live heap ${tries.map((t) => `${t.peakLiveHeapMb} MB`).join(', ')}); its figures are the median run's (${rssGrowthMb(median)} MB)`,
      );
  }
  const oneVault = results.filter((r) => r.vaults === 1 && r.steady && !r.planOnly);
  const [small, large] = [oneVault.find((r) => r.connections === 1_000), oneVault.find((r) => r.connections === 10_000)];
  if (small && large) {
    const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
    write(
      `\nPeak memory, 10,000 vs 1,000 (goal ≤ 1.5×): ${ratio(large.peakRssMb, small.peakRssMb)} RSS, ${ratio(large.peakHeapMb, small.peakHeapMb)} heap, ${ratio(large.peakLiveHeapMb, small.peakLiveHeapMb)} live heap`,
    );
  }
  return results;
}

/** Peak RSS growth over the process's idle baseline, in MB (at least 1, so that a ratio to it is defined). */
export const rssGrowthMb = (r: Pick<RefreshBenchResult, 'peakRssMb' | 'idleRssMb'>): number => Math.max(1, r.peakRssMb - r.idleRssMb);

/** The best time the run could take, the larger of the two floors, and how it was worked out. */
export function refreshFloor(r: RefreshBenchResult): { seconds: number; how: string } {
  const limits = limitBoundSeconds(r.busiestVaultMinimum).window;
  const latency = r.latencyFloor.seconds;
  const binding = limits >= latency ? 'limits' : 'latency';
  return {
    seconds: Math.max(limits, latency),
    how: `max(limits ${limits.toFixed(1)} s: the 10 s windows the busiest vault's fewest requests need, latency ${latency.toFixed(1)} s = ${r.latencyFloor.how}); ${binding} bind`,
  };
}

function describe(r: RefreshBenchResult): string[] {
  if (r.planOnly) return describePlanning(r);
  const bound = limitBoundSeconds(r.busiestVaultMinimum);
  const floor = refreshFloor(r);
  const wall = r.wallMs / 1000;
  const issued = r.keyVault.creates + r.keyVault.others + r.keyVault.throttled;
  const minimum = r.minimum.creates + r.minimum.others;
  return [
    `${labelOf(r)}: ${wall.toFixed(1)} s wall`,
    `  wall / floor: ${(wall / floor.seconds).toFixed(2)} (goal ≤ 1.15); floor ${floor.seconds.toFixed(1)} s = ${floor.how}`,
    `  against Key Vault's sustained rate (${bound.sustained.toFixed(1)} s): ${(wall / bound.sustained).toFixed(2)}`,
    `  Key Vault requests / minimum: ${(issued / minimum).toFixed(3)} (${issued} = ${r.keyVault.creates} creates + ${r.keyVault.others} others + ${r.keyVault.throttled} throttled; minimum ${minimum}; ${r.keyVault.requests} reached the vault incl. 401 challenges)`,
    `  token endpoint calls / minimum: ${(r.tokenCalls / r.minimum.tokenCalls).toFixed(3)} (${r.tokenCalls})`,
    `  time per call (the requests of a refresh run one after another): ${describeCallTimes(r.callTimes)}`,
    `  outcomes: ${Object.entries(r.outcomes)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')}`,
    ...describePlanning(r).slice(1),
    `  while planning: ${describePhase(r.phases.planning, r.idleRssMb)}; after planning: ${describePhase(r.phases.afterPlanning, r.idleRssMb)}`,
    `  storage requests of the refreshes: ${(r.refreshStorage.requests / r.connections).toFixed(2)} per refresh (${r.refreshStorage.requests.toLocaleString('en-US')}: leases, states, events, run times)`,
    `  Vigil's CPU per refresh: ${((r.cpuSeconds.vigil * 1000) / r.connections).toFixed(2)} ms (planning included)`,
    `  CPU during the run: Vigil ${r.cpuSeconds.vigil.toFixed(1)} s, local cloud ${r.cpuSeconds.localCloud.toFixed(1)} s, Azurite ${r.cpuSeconds.azurite?.toFixed(1) ?? '?'} s; ${cores(r)} of the machine's ${availableParallelism()} cores busy on average`,
    ...(r.timeline ? describeTimeline(r.timeline) : []),
    `  (for scale: queueing ${r.azuriteEnqueue.messages.toLocaleString('en-US')} messages into Azurite alone takes ${seconds(r.azuriteEnqueue.ms)})`,
  ];
}

/** The planning run's time, requests and the run's peak memory (a `/plan` case: the planner's alone). */
function describePlanning(r: RefreshBenchResult): string[] {
  return [
    `${labelOf(r)}: the planning run alone, ${r.connections.toLocaleString('en-US')} messages queued, none refreshed`,
    `  planning run: ${seconds(r.planning.ms)} (first message queued after ${(r.planning.firstQueuedMs / 1000).toFixed(2)} s), ${r.planning.storageRequests} state table requests for ${r.planning.rows.toLocaleString('en-US')} state rows read (rows read a vault at a time; Table Storage answers at most 1,000 rows a page and may end a page at a partition's end)`,
    `  peak memory of the Vigil process: ${r.peakRssMb} MB RSS (growth ${r.peakRssMb - r.idleRssMb} MB over ${r.idleRssMb} MB idle), ${r.peakHeapMb} MB heap, ${r.peakLiveHeapMb} MB live heap after a full GC`,
  ];
}

/** One phase's peaks: RSS growth over the idle baseline, and the live heap if a full collection ran in it. */
function describePhase(p: MemoryPeaks, idleRssMb: number): string {
  const live = p.liveHeapMb > 0 ? `${p.liveHeapMb} MB live heap` : 'no full GC';
  return `RSS growth ${p.rssMb - idleRssMb} MB, ${p.heapMb} MB heap, ${live}`;
}

function cores(r: RefreshBenchResult): string {
  const total = r.cpuSeconds.vigil + r.cpuSeconds.localCloud + (r.cpuSeconds.azurite ?? 0);
  return (total / (r.wallMs / 1000)).toFixed(2);
}

const labelOf = (r: RefreshCase) =>
  `${r.connections.toLocaleString('en-US')} connections${r.vaults === 1 ? '' : ` over ${r.vaults} vaults`}${r.steady ? '' : ', from empty storage'}${r.planOnly ? ', planning alone' : ''}`;

function runInChild(kase: RefreshCase): Promise<RefreshBenchResult> {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'refreshBenchRun.js');
  const child = fork(
    script,
    [
      String(kase.connections),
      String(kase.vaults),
      kase.steady ? 'steady' : 'first',
      kase.planOnly ? 'plan' : 'refresh',
      kase.withTimeline ? 'timeline' : 'none',
    ],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: ['--expose-gc', ...vigilCpuProfileArgs],
    },
  );
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as RefreshBenchResult));
    child.once('exit', (code) => code !== 0 && reject(new Error(`the ${labelOf(kase)} run exited with ${code}`)));
  });
}

/**
 * Issue 15's refresh goals as figures: requests ÷ the minimum, wall ÷ the floor (the larger of the Key
 * Vault limits' floor, per vault since vaults are limited apart, and the latency floor), and for a run over several
 * vaults its peak RSS growth against the 10,000-connection run's.
 */
export function refreshFigures(results: readonly RefreshBenchResult[]): BenchFigure[] {
  const tenThousand = results.find((r) => r.vaults === 1 && r.connections === 10_000 && r.steady && !r.planOnly);
  return results.flatMap((r) => {
    if (r.planOnly) return [];
    const label = `refresh, ${labelOf(r)}${r.vaults === 1 ? ', one vault' : ''}`;
    const floor = refreshFloor(r);
    const issued = r.keyVault.creates + r.keyVault.others + r.keyVault.throttled;
    const minimum = r.minimum.creates + r.minimum.others;
    return [
      atMost(label, 'Key Vault requests ÷ minimum', issued / minimum, 1, `${issued} ÷ ${minimum}`),
      atMost(label, 'token endpoint calls ÷ minimum', r.tokenCalls / r.minimum.tokenCalls, 1),
      atMost(label, 'wall ÷ floor', r.wallMs / 1000 / floor.seconds, 1.15, floor.how),
      ...(r.vaults > 1 && r.steady
        ? [
            tenThousand
              ? atMost(
                  label,
                  'peak RSS growth ÷ the 10,000 case',
                  rssGrowthMb(r) / rssGrowthMb(tenThousand),
                  1.5,
                  `${rssGrowthMb(r)} MB ÷ ${rssGrowthMb(tenThousand)} MB`,
                )
              : notMeasured(
                  label,
                  'peak RSS growth ÷ the 10,000 case',
                  '≤ 1.5',
                  'the 10,000-connection, one-vault case did not run beside it',
                ),
          ]
        : []),
    ];
  });
}
