import { DateTime } from 'luxon';
import { startAzurite } from '../local/azurite/startAzurite.js';
import { directorySelects } from '../shared/adapters/graph/toDirectoryChanges.js';
import type { DirectoryPager } from '../shared/scanner/DirectoryPager.js';
import { readDirectory } from '../shared/scanner/readDirectory.js';
import { upcomingUntilMs } from '../shared/scanner/upcomingCrossings.js';
import type { Runtime } from '../shared/wiring/createRuntime.js';
import { BenchCloud } from './BenchCloud.js';
import { measureScan } from './measureScan.js';
import { idleRssMb, memoryNow } from './sampleMemory.js';
import type { ScanMeasurement } from './ScanMeasurement.js';
import { GRAPH_SCOPE, scanBenchRuntime } from './scanBenchRuntime.js';
import { servicePrincipalsOf } from './scanBenchScenario.js';
import { pagesFor } from './scanLimits.js';
import { azuriteCpuProfile } from './vigilCpuProfile.js';

/**
 * A full read through the production pager and the scanner's core, with a forced collection after each
 * page: the heap that is really held, which V8's lazy collection hides in the sampled peaks.
 */
async function liveHeapOfFullRead(runtime: Runtime, now: DateTime): Promise<number | undefined> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return undefined;
  const tenant = runtime.scanner.tenants[0]!;
  const { target, deps } = runtime.scanner.scanOf(tenant);
  let live = 0;
  const pager: DirectoryPager = {
    async *read(request) {
      for await (const item of deps.pager.read(request)) {
        yield item;
        gc();
        live = Math.max(live, memoryNow().heapUsed);
      }
    },
  };
  const judge = {
    context: { tenantId: target.tenantId, portal: target.portal, copyOf: () => undefined },
    intelligence: () => deps.intel.context(),
    keptInVault: () => false,
    policy: runtime.scanner.policy,
    now,
    watched: new Set<string>(),
    upcomingUntilMs: upcomingUntilMs(runtime.scanner.policy, now.toMillis()),
  };
  await readDirectory(pager, { mode: 'initial' }, judge);
  return Math.round(live / 1_048_576);
}

/**
 * A first (full) scan of one tenant of `apps` applications; optionally the daily full scan (list) and a
 * delta scan with 1 % changed. `messy`: 14 apps in 25 hold a credential expired or within 60 days.
 */
export async function runSingleTenantBench(
  apps: number,
  options: { delta: boolean; list: boolean; messy: boolean; signIns?: number | undefined },
): Promise<ScanMeasurement[]> {
  const signIns = options.signIns ? [`signins=${options.signIns}`] : [];
  const cloud = await BenchCloud.start(['single', String(apps), ...(options.messy ? ['messy'] : []), ...signIns]);
  const azurite = await startAzurite(azuriteCpuProfile);
  try {
    const runtime = scanBenchRuntime(cloud, azurite);
    await runtime.credential.getToken(GRAPH_SCOPE);
    const idle = idleRssMb();
    const graph = `${cloud.endpoints.clouds.global!.graph}/v1.0`;
    const select = (c: 'applications' | 'servicePrincipals') => `$select=${directorySelects[c].join(',')}`;
    // Vigil's app and the generated ones; their service principals and Microsoft's.
    const fullPages = [pagesFor(apps + 1), pagesFor(servicePrincipalsOf(apps))];
    const now = DateTime.utc();
    const report = options.signIns ? `, usage report ${options.signIns.toLocaleString('en')} rows` : '';
    const size = `${apps.toLocaleString('en')} apps${options.messy ? ' (messy)' : ''}${report}`;
    // The warm-up reads one page through Vigil's own Graph client, so it warms whatever connection pool the
    // scan then sends over (a read over another transport left the scan's first page a TLS handshake).
    const firstPage = (url: string, prefer: boolean) => async () => {
      const connection = await runtime.scanner.clients.connect(runtime.scanner.tenants[0]!);
      if (!connection.ok) throw new Error(`warm-up: ${connection.failure.reason}`);
      const request = connection.graph.api(url);
      await (prefer ? request.header('Prefer', 'odata.maxpagesize=999') : request).get();
    };
    const first = await measureScan(
      'first',
      `${size}, full (first scan)`,
      runtime,
      cloud,
      now,
      fullPages,
      firstPage(`${graph}/applications/delta?${select('applications')}`, true),
      idle,
    );
    const results = [{ ...first, liveHeapMb: await liveHeapOfFullRead(runtime, now) }];
    if (options.list) {
      // The daily full scan lists with $top=999; every page selecting keyCredentials counts against the
      // 150 a minute, and the warm-up, the first scan and this one must fit in one minute.
      results.push(
        await measureScan(
          'daily',
          `${size}, daily full (list)`,
          runtime,
          cloud,
          now.plus({ hours: 25 }),
          fullPages,
          firstPage(`${graph}/applications?${select('applications')}&$top=999`, false),
          idleRssMb(),
        ),
      );
    }
    if (!options.delta) return results;
    const { changed } = await cloud.ask<{ changed: number }>({ kind: 'touch', every: 100 });
    results.push(
      await measureScan(
        'delta',
        `${apps.toLocaleString('en')} apps, delta (${changed.toLocaleString('en')} changed)`,
        runtime,
        cloud,
        now.plus({ minutes: 5 }),
        [pagesFor(changed), 1],
        undefined,
        idleRssMb(),
      ),
    );
    return results;
  } finally {
    cloud.stop();
    await azurite.stop();
  }
}

/**
 * One tenant large enough that Graph's 150 requests a minute bind (more than 150 pages): the scan must
 * pace itself to the limit without a single 429. Its first page is its first request in the window, so
 * no warm-up: the best time is the larger of the limits' floor and the latency floor.
 */
export async function runLimitBoundBench(apps: number): Promise<ScanMeasurement[]> {
  const cloud = await BenchCloud.start(['single', String(apps)]);
  const azurite = await startAzurite(azuriteCpuProfile);
  try {
    const runtime = scanBenchRuntime(cloud, azurite);
    await runtime.credential.getToken(GRAPH_SCOPE);
    const label = `${apps.toLocaleString('en')} apps, full (first scan; 150/min binds)`;
    const pages = [pagesFor(apps + 1), pagesFor(servicePrincipalsOf(apps))];
    return [await measureScan('paced', label, runtime, cloud, DateTime.utc(), pages, undefined, idleRssMb())];
  } finally {
    cloud.stop();
    await azurite.stop();
  }
}
