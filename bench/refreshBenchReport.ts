import { fork } from 'node:child_process';
import path from 'node:path';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { atMost, type BenchFigure } from './benchGoals.js';
import { limitBoundSeconds } from './minimumRequests.js';
import { QUEUE_CONCURRENCY, WRITE_BACK_EVERY, type RefreshBenchResult } from './refreshBench.js';

/** Runs the refresh benchmark for each size, each in its own process, and prints the ratios the issue asks for. */
export async function runRefreshBenchmarks(sizes: number[], write: (line: string) => void = console.log): Promise<RefreshBenchResult[]> {
  write(
    `Refresh benchmark: local cloud with Azure's Key Vault limits (300 creates, 4,000 other requests per 10 s per vault), Azurite for state, leases and events;`,
  );
  write(`one vault, 10 apps, 1 in ${WRITE_BACK_EVERY} connections due for write-back, ${QUEUE_CONCURRENCY} queue messages in flight.`);
  const results: RefreshBenchResult[] = [];
  for (const size of sizes) {
    const result = await runInChild(size);
    results.push(result);
    write('');
    for (const line of describe(result)) write(line);
  }
  const [small, large] = [results.find((r) => r.connections === 1_000), results.find((r) => r.connections === 10_000)];
  if (small && large) {
    const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
    write(
      `\nPeak memory, 10,000 vs 1,000 (goal ≤ 1.5×): ${ratio(large.peakRssMb, small.peakRssMb)} RSS, ${ratio(large.peakHeapMb, small.peakHeapMb)} heap, ${ratio(large.peakLiveHeapMb, small.peakLiveHeapMb)} live heap`,
    );
  }
  return results;
}

function describe(r: RefreshBenchResult): string[] {
  const bound = limitBoundSeconds(r.minimum);
  const wall = r.wallMs / 1000;
  const issued = r.keyVault.creates + r.keyVault.others + r.keyVault.throttled;
  const minimum = r.minimum.creates + r.minimum.others;
  const windowRatio =
    bound.window > 0
      ? `${(wall / bound.window).toFixed(2)} (goal ≤ 1.15)`
      : 'n/a: everything fits in the first 10 s window, so the limits do not bind';
  return [
    `${r.connections.toLocaleString('en-US')} connections: ${wall.toFixed(1)} s wall`,
    `  wall / time the limits allow at best: ${windowRatio}; against the sustained rate (${bound.sustained.toFixed(1)} s): ${(wall / bound.sustained).toFixed(2)}`,
    `  Key Vault requests / minimum: ${(issued / minimum).toFixed(3)} (${issued} = ${r.keyVault.creates} creates + ${r.keyVault.others} others + ${r.keyVault.throttled} throttled; minimum ${minimum}; ${r.keyVault.requests} reached the vault incl. 401 challenges)`,
    `  token endpoint calls / minimum: ${(r.tokenCalls / r.minimum.tokenCalls).toFixed(3)} (${r.tokenCalls})`,
    `  outcomes: ${Object.entries(r.outcomes)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')}`,
    `  peak memory of the Vigil process: ${r.peakRssMb} MB RSS, ${r.peakHeapMb} MB heap, ${r.peakLiveHeapMb} MB live heap after a full GC`,
    `  CPU during the run: Vigil ${r.cpuSeconds.vigil.toFixed(1)} s, local cloud ${r.cpuSeconds.localCloud.toFixed(1)} s, Azurite ${r.cpuSeconds.azurite?.toFixed(1) ?? '?'} s; ${cores(r)} of the machine's ${availableParallelism()} cores busy on average`,
    `  (for scale: queueing ${r.connections.toLocaleString('en-US')} messages into Azurite alone takes ${(r.azuriteEnqueueMs / 1000).toFixed(1)} s)`,
  ];
}

function cores(r: RefreshBenchResult): string {
  const total = r.cpuSeconds.vigil + r.cpuSeconds.localCloud + (r.cpuSeconds.azurite ?? 0);
  return (total / (r.wallMs / 1000)).toFixed(2);
}

function runInChild(size: number): Promise<RefreshBenchResult> {
  const child = fork(path.join(path.dirname(fileURLToPath(import.meta.url)), 'refreshBenchRun.js'), [String(size)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as RefreshBenchResult));
    child.once('exit', (code) => code !== 0 && reject(new Error(`the ${size}-connection run exited with ${code}`)));
  });
}

/** Issue 15's refresh goals as figures: requests ÷ the minimum, and wall ÷ the Key Vault limits' floor where they bind. */
export function refreshFigures(results: readonly RefreshBenchResult[]): BenchFigure[] {
  return results.flatMap((r) => {
    const label = `refresh, ${r.connections.toLocaleString('en-US')} connections, one vault`;
    const bound = limitBoundSeconds(r.minimum);
    const issued = r.keyVault.creates + r.keyVault.others + r.keyVault.throttled;
    const minimum = r.minimum.creates + r.minimum.others;
    return [
      atMost(label, 'Key Vault requests ÷ minimum', issued / minimum, 1, `${issued} ÷ ${minimum}`),
      atMost(label, 'token endpoint calls ÷ minimum', r.tokenCalls / r.minimum.tokenCalls, 1),
      ...(bound.window > 0
        ? [
            atMost(
              label,
              'wall ÷ Key Vault floor',
              r.wallMs / 1000 / bound.window,
              1.15,
              `${bound.window} s: the limits' 10 s windows the fewest requests need`,
            ),
          ]
        : []),
    ];
  });
}
