import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ScanMeasurement } from './scanBenchRun.js';
import { GRAPH_LIMITS } from './scanLimits.js';

const runs: Array<{ args: string[] }> = [
  { args: ['single', '1000'] },
  { args: ['single', '10000', 'list'] },
  { args: ['single', '100000', 'delta'] },
  { args: ['paced', '150000'] },
  { args: ['tenants', '1000', '200'] },
];

function runInChild(args: string[]): Promise<ScanMeasurement[]> {
  const child = fork(fileURLToPath(new URL('./scanBenchRun.js', import.meta.url)), args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: ['--expose-gc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as ScanMeasurement[]));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`scan bench ${args.join(' ')} exited with ${code}`))));
  });
}

const f = (n: number, digits = 2) => n.toFixed(digits);
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * `npm run bench` — expiry scan: requests issued ÷ the fewest possible, wall time ÷ the best time, and
 * peak memory. The best time is the larger of what Graph's published limits force (none below 150
 * requests a minute per tenant) and what the local Graph needs to serve the fewest requests to a bare
 * fetch loop (token in hand, no evaluation, no storage), measured right after each scan.
 */
export async function runScanBench(write: (line: string) => void = console.log): Promise<ScanMeasurement[]> {
  write('');
  write('Expiry scan benchmark (local cloud in its own process; Graph limits as published, not shortened:');
  write(
    `  ${GRAPH_LIMITS.keyCredentialSelectsPerMinute} requests/min per tenant selecting keyCredentials, ${GRAPH_LIMITS.resourceUnitsPer10s} RU/10 s per app+tenant, ${GRAPH_LIMITS.appResourceUnitsPer20s} RU/20 s per app)`,
  );
  const all: ScanMeasurement[] = [];
  for (const run of runs) all.push(...(await runInChild(run.args)));
  write('');
  write(
    '| Scan | Graph requests | ÷ fewest | Wall | Limits allow | Bare read | Wall ÷ best | Peak RSS | Peak heap | Live heap | Findings | Token requests |',
  );
  write('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const m of all) {
    const best = Math.max(m.limitFloorMs, m.serviceFloorMs);
    write(
      `| ${m.label} | ${m.requests} (${m.throttled} throttled) | ${f(m.requests / m.minimum)} | ${s(m.wallMs)} | ${s(m.limitFloorMs)} | ${m.serviceFloorMs > 0 ? s(m.serviceFloorMs) : 'not measured (would be throttled)'} | ${f(m.wallMs / best)} | ${m.peakRssMb} MB | ${m.peakHeapMb} MB | ${m.liveHeapMb === undefined ? '' : `${m.liveHeapMb} MB`} | ${m.findings} | ${m.tokenRequests} |`,
    );
  }
  const small = all.find((m) => m.label.startsWith('1,000 apps, full'));
  const large = all.find((m) => m.label.startsWith('100,000 apps, full (first'));
  if (small && large) {
    const live = small.liveHeapMb && large.liveHeapMb ? `, live heap ${f(large.liveHeapMb / small.liveHeapMb)}×` : '';
    write(
      `Memory, 100,000 apps ÷ 1,000 apps: peak RSS ${f(large.peakRssMb / small.peakRssMb)}×, peak heap ${f(large.peakHeapMb / small.peakHeapMb)}×${live} (goal ≤ 1.5×)`,
    );
    write(
      '  Peaks are sampled every 20 ms; V8 collects old space lazily, so they include garbage. Live heap: the most held after a forced collection at each page boundary of a second full read.',
    );
  }
  write('Best time = max(limits allow, bare read). Goals: requests ÷ fewest ≤ 1.15, wall ÷ best ≤ 1.15.');
  return all;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runScanBench();
