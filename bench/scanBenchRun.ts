import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClientSecretCredential } from '@azure/identity';
import { DateTime } from 'luxon';
import { scanPlannerTimer } from '../functions/scanPlannerTimer.js';
import { scanTenantQueue } from '../functions/scanTenantQueue.js';
import { startAzurite, type Azurite } from '../local/azurite/startAzurite.js';
import type { LocalCloudEndpoints } from '../local/cloud/EmulatorContext.js';
import { createInvocationContext } from '../local/devhost/invocationContext.js';
import { drainQueuesLikeHost, MAX_IN_FLIGHT } from '../local/devhost/runQueueFunctions.js';
import { directorySelects } from '../shared/adapters/graph/toDirectoryChanges.js';
import type { DeltaLinks, DirectoryPager } from '../shared/scanner/DirectoryPager.js';
import { hasUsage, wantsOwners } from '../shared/intelligence/enrichFindings.js';
import { readDirectory } from '../shared/scanner/readDirectory.js';
import { scanTenant } from '../shared/scanner/scanTenant.js';
import { upcomingUntilMs } from '../shared/scanner/upcomingCrossings.js';
import { loadSettings } from '../shared/settings/loadSettings.js';
import { createRuntime, type Runtime } from '../shared/wiring/createRuntime.js';
import { bareGraphRead, inParallel } from './bareGraphRead.js';
import {
  SCAN_HOME_TENANT,
  SCAN_TENANT_SECRET,
  SCAN_VAULT,
  SCAN_VIGIL_APP_ID,
  SCAN_VIGIL_SECRET,
  benchTenantId,
  servicePrincipalsOf,
} from './scanBenchScenario.js';
import { intelligenceRequests, limitFloorMs, pagesFor } from './scanLimits.js';

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

export interface ScanMeasurement {
  label: string;
  requests: number;
  minimum: number;
  throttled: number;
  wallMs: number;
  limitFloorMs: number;
  serviceFloorMs: number;
  peakRssMb: number;
  peakHeapMb: number;
  findings: number;
  tokenRequests: number;
  /** Largest heap still in use after a collection at each page boundary of a full read (needs --expose-gc). */
  liveHeapMb: number | undefined;
}

interface CloudStats {
  requests: number;
  throttled: number;
  perTenant: number[];
  entra: number;
}

/** Samples this process's memory every 20 ms during one phase. */
function samplePeak(): () => { rssMb: number; heapMb: number } {
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 20);
  return () => {
    clearInterval(timer);
    sample();
    return { rssMb: Math.round(rss / 1_048_576), heapMb: Math.round(heap / 1_048_576) };
  };
}

class BenchCloud {
  private constructor(
    private readonly child: ChildProcess,
    readonly endpoints: LocalCloudEndpoints,
  ) {}

  static start(args: string[]): Promise<BenchCloud> {
    const child = fork(path.join(path.dirname(fileURLToPath(import.meta.url)), 'scanBenchCloud.js'), args, {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: ['--max-old-space-size=8192'],
    });
    return new Promise((resolve, reject) => {
      child.once('message', (m) => resolve(new BenchCloud(child, (m as { endpoints: LocalCloudEndpoints }).endpoints)));
      child.once('exit', (code) => reject(new Error(`the scan bench's local cloud exited with ${code}`)));
    });
  }

  ask<T>(message: { kind: string; every?: number }): Promise<T> {
    return new Promise((resolve) => {
      this.child.once('message', (m) => resolve(m as T));
      this.child.send(message);
    });
  }

  stop(): void {
    this.child.send({ kind: 'stop' });
  }
}

function settingsFor(cloud: BenchCloud, azurite: Azurite, extra: Record<string, string> = {}): Runtime {
  const global = cloud.endpoints.clouds.global!;
  return createRuntime(
    loadSettings({
      VIGIL_TENANT_ID: SCAN_HOME_TENANT,
      VIGIL_CLIENT_ID: SCAN_VIGIL_APP_ID,
      VIGIL_CLIENT_SECRET: SCAN_VIGIL_SECRET,
      VIGIL_CLOUD_ENDPOINTS: JSON.stringify({ global: { login: global.login, graph: global.graph } }),
      VIGIL_KEY_VAULT_URLS: cloud.endpoints.vaults[SCAN_VAULT]!,
      AzureWebJobsStorage: azurite.connectionString,
      ...extra,
    }),
  );
}

/**
 * One scan of the single bench tenant with production wiring, measured. `floor` is the bare read of the
 * same pages; without one (where the limits bind, and a second read would be throttled) there is no
 * warm-up either, so the scan's first request is the first in Graph's window.
 */
async function measureScan(
  label: string,
  runtime: Runtime,
  cloud: BenchCloud,
  now: DateTime,
  directoryPages: number,
  floor: ((maxPages?: number) => Promise<number>) | undefined,
  evidence: 'all findings' | 'none new' = 'all findings',
): Promise<ScanMeasurement> {
  // The first pages once before, unmeasured, so that the scan and the bare read both meet a warm local Graph.
  await floor?.(1);
  await cloud.ask({ kind: 'reset' });
  const tenant = runtime.scanner.tenants[0]!;
  const { target, deps } = runtime.scanner.scanOf(tenant);
  const peak = samplePeak();
  const started = performance.now();
  const outcome = await scanTenant(target, deps, runtime.scanner.policy, now);
  const wallMs = performance.now() - started;
  const memory = peak();
  if (outcome.kind !== 'checked') throw new Error(`${label}: the scan did not complete: ${JSON.stringify(outcome)}`);
  const stats = await cloud.ask<CloudStats>({ kind: 'stats' });
  const serviceFloorMs = floor ? await floor() : 0;
  const minimum = directoryPages + (await intelligenceMinimum(runtime, tenant.tenantId, evidence));
  return toMeasurement(label, stats, { minimum, wallMs, serviceFloorMs, memory, findings: outcome.findings });
}

/**
 * The intelligence reads counted in the fewest requests, from what the scan judged: a full read gathers
 * evidence for every finding, a delta read that brings no new finding for none (policies still read).
 */
async function intelligenceMinimum(runtime: Runtime, tenantId: string, evidence: 'all findings' | 'none new'): Promise<number> {
  const findings = evidence === 'all findings' ? await runtime.scanner.findings.list(tenantId) : [];
  const unique = (ids: Array<string | null>) => new Set(ids.filter((id): id is string => id !== null)).size;
  return intelligenceRequests({
    enabledPolicies: 0,
    federatedApps: 0,
    usageApps: unique(findings.filter(hasUsage).map((f) => f.appId)),
    ownerApps: unique(findings.filter(wantsOwners).map((f) => f.objectId)),
  });
}

/** A measurement from the local cloud's counts and what the run itself saw. */
function toMeasurement(
  label: string,
  stats: CloudStats,
  run: { minimum: number; wallMs: number; serviceFloorMs: number; memory: { rssMb: number; heapMb: number }; findings: number },
): ScanMeasurement {
  return {
    liveHeapMb: undefined,
    label,
    requests: stats.requests,
    minimum: run.minimum,
    throttled: stats.throttled,
    wallMs: run.wallMs,
    limitFloorMs: limitFloorMs(stats.perTenant),
    serviceFloorMs: run.serviceFloorMs,
    peakRssMb: run.memory.rssMb,
    peakHeapMb: run.memory.heapMb,
    findings: run.findings,
    tokenRequests: stats.entra,
  };
}

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
        live = Math.max(live, process.memoryUsage().heapUsed);
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

const timed = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};

/** A first (full) scan of one tenant of `apps` applications; optionally the daily full scan (list) and a delta scan with 1 % changed. */
export async function runSingleTenantBench(apps: number, withDelta: boolean, withList: boolean): Promise<ScanMeasurement[]> {
  const cloud = await BenchCloud.start(['single', String(apps)]);
  const azurite = await startAzurite();
  try {
    const runtime = settingsFor(cloud, azurite);
    const { token } = (await runtime.credential.getToken(GRAPH_SCOPE))!;
    const graph = `${cloud.endpoints.clouds.global!.graph}/v1.0`;
    const select = (c: 'applications' | 'servicePrincipals') => `$select=${directorySelects[c].join(',')}`;
    // Vigil's app and the generated ones; their service principals and Microsoft's.
    const fullPages = pagesFor(apps + 1) + pagesFor(servicePrincipalsOf(apps));
    const now = DateTime.utc();
    const first = await measureScan(`${apps.toLocaleString('en')} apps, full (first scan)`, runtime, cloud, now, fullPages, (maxPages) =>
      timed(() =>
        bareGraphRead(
          [`${graph}/applications/delta?${select('applications')}`, `${graph}/servicePrincipals/delta?${select('servicePrincipals')}`],
          token,
          true,
          maxPages,
        ),
      ),
    );
    const results = [{ ...first, liveHeapMb: await liveHeapOfFullRead(runtime, now) }];
    if (withList) {
      // The daily full scan lists with $top=999, and every page selecting keyCredentials counts against
      // the 150 a minute: measured where three reads of it (warm-up, scan, bare read) fit in one minute.
      results.push(
        await measureScan(
          `${apps.toLocaleString('en')} apps, daily full (list)`,
          runtime,
          cloud,
          now.plus({ hours: 25 }),
          fullPages,
          (maxPages) =>
            timed(() =>
              bareGraphRead(
                [
                  `${graph}/applications?${select('applications')}&$top=999`,
                  `${graph}/servicePrincipals?${select('servicePrincipals')}&$top=999`,
                ],
                token,
                false,
                maxPages,
              ),
            ),
        ),
      );
    }
    if (!withDelta) return results;
    const links = (await runtime.scanner.states.listAll())[0]!.deltaLinks as DeltaLinks;
    const { changed } = await cloud.ask<{ changed: number }>({ kind: 'touch', every: 100 });
    results.push(
      await measureScan(
        `${apps.toLocaleString('en')} apps, delta (${changed.toLocaleString('en')} changed)`,
        runtime,
        cloud,
        now.plus({ minutes: 5 }),
        pagesFor(changed) + 1,
        (maxPages) => timed(() => bareGraphRead([links.applications, links.servicePrincipals], token, true, maxPages)),
        'none new',
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
 * no warm-up, and no bare read after it (that would be throttled): the best time is the limits' alone.
 */
export async function runLimitBoundBench(apps: number): Promise<ScanMeasurement[]> {
  const cloud = await BenchCloud.start(['single', String(apps)]);
  const azurite = await startAzurite();
  try {
    const runtime = settingsFor(cloud, azurite);
    await runtime.credential.getToken(GRAPH_SCOPE);
    const label = `${apps.toLocaleString('en')} apps, full (first scan; 150/min binds)`;
    return [await measureScan(label, runtime, cloud, DateTime.utc(), pagesFor(apps + 1) + pagesFor(servicePrincipalsOf(apps)), undefined)];
  } finally {
    cloud.stop();
    await azurite.stop();
  }
}

/** `tenants` tenants of `apps` applications, fanned out as on the Functions host: planner, Storage queue (Azurite), queue function. */
export async function runManyTenantsBench(tenants: number, apps: number): Promise<ScanMeasurement[]> {
  const cloud = await BenchCloud.start(['tenants', String(tenants), String(apps)]);
  const azurite = await startAzurite();
  try {
    const configured = Array.from({ length: tenants }, (_, t) => ({
      tenantId: benchTenantId(t),
      displayName: `Bench tenant ${t}`,
      auth:
        t === 0
          ? { kind: 'managedIdentity' }
          : { kind: 'clientSecret', clientId: SCAN_VIGIL_APP_ID, keyVaultSecretName: SCAN_TENANT_SECRET },
    }));
    const runtime = settingsFor(cloud, azurite, { VIGIL_TENANTS: JSON.stringify(configured) });
    await runtime.credential.getToken(GRAPH_SCOPE);
    await cloud.ask({ kind: 'reset' });
    const sink = () => undefined;
    if (scanPlannerTimer.kind !== 'timer') throw new Error('scanPlannerTimer is a timer');
    const timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };
    const peak = samplePeak();
    const started = performance.now();
    await scanPlannerTimer.handler(timer, createInvocationContext('scanPlannerTimer', sink), runtime);
    await drainQueuesLikeHost([scanTenantQueue], runtime, (name) => runtime.queue(name), sink);
    const wallMs = performance.now() - started;
    const memory = peak();
    const stats = await cloud.ask<CloudStats & { tenants: number }>({ kind: 'stats' });
    const failing = (await runtime.scanner.states.listAll()).filter((s) => s.failure || !s.lastSuccessAt);
    if (failing.length > 0 || stats.tenants !== tenants)
      throw new Error(`${failing.length} tenant(s) not scanned: ${JSON.stringify(failing[0])}`);
    const findings = (await runtime.scanner.findings.listAll()).length;
    const serviceFloorMs = await manyTenantsFloor(
      cloud,
      configured.map((t) => t.tenantId),
    );
    const label = `${tenants.toLocaleString('en')} tenants × ${apps} apps, full via queue`;
    let minimum = tenants * 2;
    for (const t of configured) minimum += await intelligenceMinimum(runtime, t.tenantId, 'all findings');
    return [toMeasurement(label, stats, { minimum, wallMs, serviceFloorMs, memory, findings })];
  } finally {
    cloud.stop();
    await azurite.stop();
  }
}

/** The bare reader over every tenant, as many at once as the host's queue listener handles. */
async function manyTenantsFloor(cloud: BenchCloud, tenantIds: string[]): Promise<number> {
  const global = cloud.endpoints.clouds.global!;
  const graph = `${global.graph}/v1.0`;
  const urls = [
    `${graph}/applications/delta?$select=${directorySelects.applications.join(',')}`,
    `${graph}/servicePrincipals/delta?$select=${directorySelects.servicePrincipals.join(',')}`,
  ];
  // A token per tenant is part of the least work; both the scanner and this loop ask the local Entra for one.
  return timed(() =>
    inParallel(tenantIds, MAX_IN_FLIGHT, async (id) => {
      const credential = new ClientSecretCredential(id, SCAN_VIGIL_APP_ID, SCAN_VIGIL_SECRET, {
        authorityHost: global.login,
        disableInstanceDiscovery: true,
      });
      await bareGraphRead(urls, (await credential.getToken(GRAPH_SCOPE)).token, true);
    }),
  );
}

// Run as a child process: one measurement per process, so each peak memory is its own.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [kind, a, b] = process.argv.slice(2);
  const results =
    kind === 'single'
      ? await runSingleTenantBench(Number(a), b === 'delta', b === 'list')
      : kind === 'paced'
        ? await runLimitBoundBench(Number(a))
        : await runManyTenantsBench(Number(a), Number(b));
  process.send!(results);
  process.exit(0);
}
