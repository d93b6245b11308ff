import { fileURLToPath } from 'node:url';
import { runManyTenantsBench } from './runManyTenantsBench.js';
import { runLimitBoundBench, runSingleTenantBench } from './runSingleTenantBench.js';

// The scan bench's child process (runScanCase.ts forks it with the case's arguments): one measurement per process,
// so each peak memory is its own. The runs themselves are in runSingleTenantBench.ts and runManyTenantsBench.ts.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [kind, a, ...rest] = process.argv.slice(2);
  const results =
    kind === 'single'
      ? await runSingleTenantBench(Number(a), {
          delta: rest.includes('delta'),
          list: rest.includes('list'),
          messy: rest.includes('messy'),
          // `signins=N`: the usage report holds N rows (bench/scanBenchScenario.ts `addSignIns`) instead of Vigil's one.
          signIns: Number(rest.find((r) => r.startsWith('signins='))?.slice('signins='.length) ?? 0),
        })
      : kind === 'paced'
        ? await runLimitBoundBench(Number(a))
        : await runManyTenantsBench(Number(a), Number(rest[0]));
  process.send!(results);
  process.exit(0);
}
