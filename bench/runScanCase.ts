import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ownGrowth, type ScanMeasurement } from './ScanMeasurement.js';
import { vigilCpuProfileArgs } from './vigilCpuProfile.js';

/** The case in a fresh process (scanBenchRun.ts), under --expose-gc for the live heap: its measurements. */
function runInChild(args: string[]): Promise<ScanMeasurement[]> {
  const child = fork(fileURLToPath(new URL('./scanBenchRun.js', import.meta.url)), args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: ['--expose-gc', ...vigilCpuProfileArgs],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as ScanMeasurement[]));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`scan bench ${args.join(' ')} exited with ${code}`))));
  });
}

/**
 * The case run `times` times, each in a fresh process: the first run's measurements, each with every run's
 * peak RSS growth (`rssGrowthRunsMb`) when it ran more than once.
 */
export async function runScanCase(args: string[], times: number): Promise<ScanMeasurement[]> {
  const all: ScanMeasurement[][] = [];
  for (let run = 0; run < times; run += 1) all.push(await runInChild(args));
  const [first] = all;
  if (times <= 1) return first!;
  return first!.map((m, i) => ({ ...m, rssGrowthRunsMb: all.map((measured) => ownGrowth(measured[i]!)) }));
}
