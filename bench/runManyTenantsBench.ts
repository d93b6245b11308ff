import { instrumented } from '../functions/instrumented.js';
import { scanPlannerTimer } from '../functions/scanPlannerTimer.js';
import { scanTenantQueue } from '../functions/scanTenantQueue.js';
import { startAzurite } from '../local/azurite/startAzurite.js';
import { createInvocationContext } from '../local/devhost/invocationContext.js';
import { drainQueuesLikeHost } from '../local/devhost/runQueueFunctions.js';
import { BenchCloud } from './BenchCloud.js';
import { childCpuSeconds } from './childCpuSeconds.js';
import { intelligenceMinimum } from './intelligenceMinimum.js';
import { recordListener } from './recordListener.js';
import { idleRssMb, memoryNow, samplePeak } from './sampleMemory.js';
import { toMeasurement, type CloudStats, type ScanMeasurement } from './ScanMeasurement.js';
import { GRAPH_SCOPE, scanBenchRuntime, storageOf } from './scanBenchRuntime.js';
import { SCAN_TENANT_SECRET, SCAN_VIGIL_APP_ID, benchTenantId, servicePrincipalsOf } from './scanBenchScenario.js';
import { pagesFor, queuedLatencyFloor, tenantLatencyFloor, waitsForSecret } from './scanLimits.js';
import { profileScans } from './scanTimeline.js';
import { measureSplit } from './splitListenerWall.js';
import { azuriteCpuProfile } from './vigilCpuProfile.js';

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
    const runtime = scanBenchRuntime(cloud, azurite, { VIGIL_TENANTS: JSON.stringify(configured) });
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
    const states = await runtime.scanner.states.listAll();
    const failing = states.filter((s) => s.failure || !s.lastSuccessAt);
    if (failing.length > 0 || stats.tenants !== tenants)
      throw new Error(`${failing.length} tenant(s) not scanned: ${JSON.stringify(failing[0])}`);
    const findings = states.reduce((n, s) => n + (s.lastScan?.findings ?? 0), 0);
    const chains = [pagesFor(apps), pagesFor(servicePrincipalsOf(apps))];
    const pages = chains[0]! + chains[1]!;
    const tenantSize = { tenantApplications: apps, reportRows: stats.reportRows };
    const perTenant: Array<{ fewest: number; how: string; floor: { ms: number; how: string } }> = [];
    for (const [position, t] of configured.entries()) {
      const intelligence = await intelligenceMinimum(runtime, t.tenantId, true, tenantSize);
      perTenant.push({
        fewest: pages + intelligence.requests,
        how: intelligence.how,
        // The home tenant signs in as Vigil itself, which signed in before the clock: its token is cached (fewestTokenRequests).
        floor: tenantLatencyFloor(chains, intelligence, waitsForSecret(position, t.auth.kind !== 'managedIdentity'), {
          tokenCached: t.auth.kind === 'managedIdentity',
        }),
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
