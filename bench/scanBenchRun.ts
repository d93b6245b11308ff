import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { scanPlannerTimer } from '../functions/scanPlannerTimer.js';
import { instrumented } from '../functions/instrumented.js';
import { scanTenantQueue } from '../functions/scanTenantQueue.js';
import { startAzurite, type Azurite } from '../local/azurite/startAzurite.js';
import { azuriteCpuProfile } from './vigilCpuProfile.js';
import { seconds } from './seconds.js';
import { describeError } from '../shared/helpers/describeError.js';
import { createInvocationContext } from '../local/devhost/invocationContext.js';
import { withBenchTelemetry } from './benchTelemetry.js';
import { drainQueuesLikeHost } from '../local/devhost/runQueueFunctions.js';
import { directorySelects } from '../shared/adapters/graph/toDirectoryChanges.js';
import type { DirectoryPager } from '../shared/scanner/DirectoryPager.js';
import { readDirectory } from '../shared/scanner/readDirectory.js';
import { scanTenant } from '../shared/scanner/scanTenant.js';
import { upcomingUntilMs } from '../shared/scanner/upcomingCrossings.js';
import { loadSettings } from '../shared/settings/loadSettings.js';
import { createRuntime, type Runtime } from '../shared/wiring/createRuntime.js';
import { BenchCloud } from './BenchCloud.js';
import { childCpuSeconds } from './childCpuSeconds.js';
import { profileScans, traceScan } from './scanTimeline.js';
import { recordListener } from './recordListener.js';
import { measureSplit, type MeasuredSplit } from './splitListenerWall.js';
import { memoryNow, samplePeak } from './sampleMemory.js';
import {
  SCAN_HOME_TENANT,
  SCAN_TENANT_SECRET,
  SCAN_VAULT,
  SCAN_VIGIL_APP_ID,
  SCAN_VIGIL_SECRET,
  benchTenantId,
  servicePrincipalsOf,
} from './scanBenchScenario.js';
import { countRequests, newCounter, type StorageCounter } from './countStorageRequests.js';
import { tableNames, type TableRole } from '../shared/adapters/storage/tableNames.js';
import {
  intelligenceRequests,
  limitFloorMs,
  pagesFor,
  queuedLatencyFloor,
  tenantLatencyFloor,
  waitsForSecret,
  type Collection,
  type IntelligenceReads,
} from './scanLimits.js';
import { hasUsage, wantsOwners } from '../shared/intelligence/enrichFindings.js';
import type { Finding } from '../shared/scanner/Finding.js';

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

export interface ScanMeasurement {
  label: string;
  /** Which goals of issue 15 apply (scanBench.ts). */
  kind: 'first' | 'daily' | 'delta' | 'paced' | 'tenants';
  apps: number;
  requests: number;
  minimum: number;
  /** How `minimum` was counted. */
  minimumHow: string;
  throttled: number;
  wallMs: number;
  limitFloorMs: number;
  /** The fewest requests at BENCH_LATENCY each, as soon as what each depends on has answered (scanLimits.ts tenantLatencyFloor). */
  serviceFloorMs: number;
  /** How `serviceFloorMs` was worked out, printed with it. */
  floorHow: string;
  /** RSS after start-up and a collection, before the measured work: growth is measured over it. */
  idleRssMb: number;
  peakRssMb: number;
  /**
   * Peak RSS growth of each run of the same case, where it ran more than once (memory goals): one run's peak is
   * mostly when V8 chose to collect, so the goal is judged on their median.
   */
  rssGrowthRunsMb?: number[];
  peakHeapMb: number;
  findings: number;
  /** POSTs to the token endpoint. */
  tokenRequests: number;
  /**
   * Other requests to Entra: MSAL's authority metadata (OpenID configuration), which it fetches only for a
   * host it has no built-in metadata for (the local cloud; not login.microsoftonline.com, .us or .cn).
   */
  metadataRequests: number;
  /** The fewest token requests, where the goal counts them (many tenants). */
  fewestTokenRequests?: number;
  /** CPU seconds each process spent on the measured work, where measured: is the machine the bottleneck? */
  cpuSeconds?: { vigil: number; localCloud: number; azurite: number | undefined };
  /** Largest heap still in use after a collection at each page boundary of a full read (needs --expose-gc). */
  liveHeapMb: number | undefined;
  /** Table Storage requests of every table the runtime uses, where counted (many tenants), and over how many tenants. */
  storage?: { requests: number; tenants: number; byKind: Record<string, number> };
  /** Where the wall went (many tenants): the planner, the handlers, the messages beyond them, the listener; or why not measured. */
  listener?: MeasuredSplit;
}

interface CloudStats {
  requests: number;
  throttled: number;
  perTenant: number[];
  /** Requests to Entra since the last reset: the token endpoint's POSTs, MSAL's authority metadata GETs, any other. */
  entra: { tokenPosts: number; metadataGets: number; other: number };
  cpuSeconds: number;
  /** The most rows any tenant's usage report holds (the bench tenants record no sign-ins: none). */
  reportRows: number;
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
    withBenchTelemetry(),
  );
}

/** RSS after a full collection, in MB: the process's idle baseline before the measured work. */
function idleRssMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round(memoryNow().rss / 1_048_576);
}

/**
 * One scan of the single bench tenant with production wiring, measured against the fewest requests at
 * BENCH_LATENCY. `warmUp` reads a first page unmeasured so the scan meets a warm local Graph; without one
 * (where the limits bind) the scan's first request is the first in Graph's window.
 */
async function measureScan(
  kind: ScanMeasurement['kind'],
  label: string,
  runtime: Runtime,
  cloud: BenchCloud,
  now: DateTime,
  /** The fewest directory pages of each collection (applications, service principals). */
  directory: readonly number[],
  warmUp: (() => Promise<unknown>) | undefined,
  idle: number,
): Promise<ScanMeasurement> {
  await warmUp?.();
  await cloud.ask({ kind: 'reset' });
  const tenant = runtime.scanner.tenants[0]!;
  const { target, deps } = runtime.scanner.scanOf(tenant);
  const storage = storageOf(runtime);
  const before = storage.requests;
  const kindsBefore = { ...storage.byKind };
  const trace = process.argv.includes('timeline') ? traceScan() : undefined;
  const peak = samplePeak();
  const started = performance.now();
  const outcome = await scanTenant(target, trace?.traced(deps) ?? deps, runtime.scanner.policy, now).catch((error: unknown) => {
    // What the Functions host would retry (storage that failed or hung past its try timeout), said with the
    // machine's load: on 2 shared cores a healthy Azurite can take longer than the production 10 s per try.
    throw new Error(
      `${label}: the scan threw after ${seconds(performance.now() - started)} (load average ${os.loadavg()[0]!.toFixed(1)}): ${describeError(error)}`,
      { cause: error },
    );
  });
  const wallMs = performance.now() - started;
  const memory = peak();
  // The scan's own requests, before the bench reads anything to work out the fewest.
  const storageRequests = storage.requests - before;
  const byKind = Object.fromEntries(
    Object.entries(storage.byKind)
      .map(([k, n]) => [k, n - (kindsBefore[k] ?? 0)] as const)
      .filter(([, n]) => n !== 0),
  );
  if (trace) console.error([`Timeline of ${label} (from the scan's start):`, ...trace.report()].join('\n'));
  if (outcome.kind !== 'checked') throw new Error(`${label}: the scan did not complete: ${JSON.stringify(outcome)}`);
  const stats = await cloud.ask<CloudStats>({ kind: 'stats' });
  // A full read gathers evidence (usage, owners) for every finding; a delta read only for new ones.
  const intelligence = await intelligenceMinimum(runtime, tenant.tenantId, outcome.mode === 'full', {
    tenantApplications: outcome.applications,
    reportRows: stats.reportRows,
  });
  const minimum = directory.reduce((a, b) => a + b, 0);
  const fewest = minimum + intelligence.requests;
  const floor = tenantLatencyFloor(directory, intelligence, false);
  const measured = toMeasurement(kind, label, stats, {
    minimum: fewest,
    minimumHow: `${minimum} directory pages + ${intelligence.how}`,
    fewestPerTenant: [fewest],
    directoryPages: [minimum],
    wallMs,
    floor,
    memory,
    idle,
    findings: outcome.findings,
    apps: outcome.applications,
  });
  return { ...measured, storage: { requests: storageRequests, tenants: 1, byKind } };
}

const storageCounters = new WeakMap<Runtime, StorageCounter>();
/** Every Table Storage request of the runtime's tables, counted from the first call on (rows are not parsed twice: memory is measured too). */
function storageOf(runtime: Runtime): StorageCounter {
  let counter = storageCounters.get(runtime);
  if (!counter) {
    counter = newCounter();
    for (const role of Object.keys(tableNames) as TableRole[]) countRequests(runtime.table(role), counter, { rows: false });
    storageCounters.set(runtime, counter);
  }
  return counter;
}

/**
 * A measurement from the local cloud's counts and what the run itself saw. The limits' floor is worked
 * out from the fewest requests, never from those Vigil made: a wasteful scan must not raise its own floor.
 */
export function toMeasurement(
  kind: ScanMeasurement['kind'],
  label: string,
  stats: CloudStats,
  run: {
    minimum: number;
    minimumHow: string;
    /** The fewest Graph requests of each tenant: what the limits' floor counts. */
    fewestPerTenant: number[];
    /** The fewest directory pages of each tenant: the requests that select keyCredentials. */
    directoryPages: number[];
    wallMs: number;
    floor: { ms: number; how: string };
    memory: { rssMb: number; heapMb: number };
    idle: number;
    findings: number;
    apps: number;
  },
): ScanMeasurement {
  return {
    kind,
    apps: run.apps,
    liveHeapMb: undefined,
    label,
    requests: stats.requests,
    minimum: run.minimum,
    minimumHow: run.minimumHow,
    throttled: stats.throttled,
    wallMs: run.wallMs,
    limitFloorMs: limitFloorMs(run.fewestPerTenant, run.directoryPages),
    serviceFloorMs: run.floor.ms,
    floorHow: run.floor.how,
    idleRssMb: run.idle,
    peakRssMb: run.memory.rssMb,
    peakHeapMb: run.memory.heapMb,
    findings: run.findings,
    tokenRequests: stats.entra.tokenPosts,
    metadataRequests: stats.entra.metadataGets + stats.entra.other,
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
    const runtime = settingsFor(cloud, azurite);
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
    const runtime = settingsFor(cloud, azurite);
    await runtime.credential.getToken(GRAPH_SCOPE);
    const label = `${apps.toLocaleString('en')} apps, full (first scan; 150/min binds)`;
    const pages = [pagesFor(apps + 1), pagesFor(servicePrincipalsOf(apps))];
    return [await measureScan('paced', label, runtime, cloud, DateTime.utc(), pages, undefined, idleRssMb())];
  } finally {
    cloud.stop();
    await azurite.stop();
  }
}

/** `tenants` tenants of `apps` applications, fanned out as on the Functions host: planner, Storage queue (Azurite), queue function. */
export async function runManyTenantsBench(tenants: number, apps: number): Promise<ScanMeasurement[]> {
  const cloud = await BenchCloud.start(['tenants', String(tenants), String(apps)]);
  const azurite = await startAzurite(azuriteCpuProfile);
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
    const idle = idleRssMb();
    // Every Table Storage request of the measured work.
    const storage = storageOf(runtime);
    const sink = () => undefined;
    if (scanPlannerTimer.kind !== 'timer') throw new Error('scanPlannerTimer is a timer');
    const timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };
    const profile = process.argv.includes('timeline') ? profileScans(runtime, scanTenantQueue) : undefined;
    const listener = recordListener();
    const cpuBefore = { vigil: process.cpuUsage(), azurite: childCpuSeconds('azurite') };
    const peak = samplePeak();
    const started = performance.now();
    await scanPlannerTimer.handler(timer, createInvocationContext('scanPlannerTimer', sink), runtime);
    // Instrumented as the host runs it: each message in its invocation's trace, the telemetry flushed as it ends.
    const definition = listener.definition(instrumented(profile?.definition ?? scanTenantQueue));
    await drainQueuesLikeHost([definition], runtime, (name) => listener.queue(runtime.queue(name)), sink);
    const wallMs = performance.now() - started;
    const memory = peak();
    // The scans' own requests, before the bench reads anything back.
    const storageUsed = { requests: storage.requests, tenants, byKind: { ...storage.byKind } };
    const stats = await cloud.ask<CloudStats & { tenants: number }>({ kind: 'stats' });
    const vigilCpu = process.cpuUsage(cpuBefore.vigil);
    const azuriteCpu = childCpuSeconds('azurite');
    const cpuSeconds = {
      vigil: (vigilCpu.user + vigilCpu.system) / 1e6,
      localCloud: stats.cpuSeconds,
      azurite: azuriteCpu === undefined || cpuBefore.azurite === undefined ? undefined : azuriteCpu - cpuBefore.azurite,
    };
    if (profile) console.error(["Mean timeline of one tenant (from its message handler's start):", ...profile.report()].join('\n'));
    const failing = (await runtime.scanner.states.listAll()).filter((s) => s.failure || !s.lastSuccessAt);
    if (failing.length > 0 || stats.tenants !== tenants)
      throw new Error(`${failing.length} tenant(s) not scanned: ${JSON.stringify(failing[0])}`);
    const findings = (await runtime.scanner.states.listAll()).reduce((n, s) => n + (s.lastScan?.findings ?? 0), 0);
    const chains = [pagesFor(apps), pagesFor(servicePrincipalsOf(apps))];
    const pages = chains[0]! + chains[1]!;
    const tenantSize = { tenantApplications: apps, reportRows: stats.reportRows };
    const perTenant: Array<{ fewest: number; how: string; floor: { ms: number; how: string } }> = [];
    for (const [position, t] of configured.entries()) {
      const intelligence = await intelligenceMinimum(runtime, t.tenantId, true, tenantSize);
      perTenant.push({
        fewest: pages + intelligence.requests,
        how: intelligence.how,
        floor: tenantLatencyFloor(chains, intelligence, waitsForSecret(position, t.auth.kind !== 'managedIdentity')),
      });
    }
    const minimum = perTenant.reduce((n, t) => n + t.fewest, 0);
    const minimumHow = `per tenant ${pages} directory pages + ${[...new Set(perTenant.map((t) => t.how))].join(' or ')}`;
    const label = `${tenants.toLocaleString('en')} tenants × ${apps} apps, full via queue`;
    // Each tenant at its own floor, through the host's queue listener's rule (the one drainQueuesLikeHost admits by).
    const floor = queuedLatencyFloor(perTenant.map((t) => t.floor));
    const directoryPages = configured.map(() => pages);
    // One token per tenant that signs in as an app, and Vigil's own for Key Vault, to read their secret.
    const fewestTokenRequests = configured.filter((t) => t.auth.kind !== 'managedIdentity').length + 1;
    const measured = toMeasurement('tenants', label, stats, {
      minimum,
      minimumHow,
      fewestPerTenant: perTenant.map((t) => t.fewest),
      directoryPages,
      wallMs,
      floor,
      memory,
      idle,
      findings,
      apps: tenants * apps,
    });
    // What the process still holds once every tenant is scanned: its clients, tokens and caches per tenant.
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const liveHeapMb = gc ? Math.round(memoryNow().heapUsed / 1_048_576) : undefined;
    return [
      {
        ...measured,
        fewestTokenRequests,
        cpuSeconds,
        liveHeapMb,
        storage: storageUsed,
        listener: measureSplit(() => listener.split(started, wallMs)),
      },
    ];
  } finally {
    cloud.stop();
    await azurite.stop();
  }
}

// Run as a child process: one measurement per process, so each peak memory is its own.
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

/**
 * The intelligence reads counted in the fewest requests, from what the scan judged (issue 16): on a full
 * read the tenant's policies and federated apps, then evidence for every finding; none on a delta, which
 * judges with the policies and federated apps the full read kept on the scan state.
 */
async function intelligenceMinimum(
  runtime: Runtime,
  tenantId: string,
  full: boolean,
  size: { tenantApplications: number; reportRows: number },
): Promise<IntelligenceReads> {
  if (!full)
    return { requests: 0, chain: 0, evidence: [], how: 'none: a delta judges with the policies and federated apps kept on the scan state' };
  const findings = await runtime.scanner.findings.list(tenantId);
  const unique = (ids: Array<string | null>) => new Set(ids.filter((id): id is string => id !== null)).size;
  const usage = findings.filter(hasUsage);
  // The collection each finding's subject was read from: a finding is judged, and asks, on its object's page.
  const collectionOf: Partial<Record<Finding['subjectKind'], Collection>> = {
    application: 'applications',
    servicePrincipal: 'servicePrincipals',
  };
  const usageIn = [...new Set(usage.map((f) => collectionOf[f.subjectKind]))].filter((c): c is Collection => c !== undefined);
  return intelligenceRequests({
    enabledPolicies: 0,
    federatedApps: 0,
    usageApps: unique(usage.map((f) => f.appId)),
    usageIn,
    ownerApps: unique(findings.filter(wantsOwners).map((f) => f.objectId)),
    ...size,
  });
}
