import os from 'node:os';
import type { DateTime } from 'luxon';
import { describeError } from '../shared/helpers/describeError.js';
import { scanTenant } from '../shared/scanner/scanTenant.js';
import type { Runtime } from '../shared/wiring/createRuntime.js';
import type { BenchCloud } from './BenchCloud.js';
import { intelligenceMinimum } from './intelligenceMinimum.js';
import { samplePeak } from './sampleMemory.js';
import { toMeasurement, type CloudStats, type ScanMeasurement } from './ScanMeasurement.js';
import { storageOf } from './scanBenchRuntime.js';
import { tenantLatencyFloor } from './scanLimits.js';
import { traceScan } from './scanTimeline.js';
import { seconds } from './seconds.js';

/**
 * One scan of the single bench tenant with production wiring, measured against the fewest requests at
 * BENCH_LATENCY. `warmUp` reads a first page unmeasured so the scan meets a warm local Graph; without one
 * (where the limits bind) the scan's first request is the first in Graph's window.
 */
export async function measureScan(
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
  // The bench signs in before the clock (getToken(GRAPH_SCOPE) in runSingleTenantBench and runLimitBoundBench): the scan's chain starts at its first Graph request.
  const floor = tenantLatencyFloor(directory, intelligence, false, { tokenCached: true });
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
