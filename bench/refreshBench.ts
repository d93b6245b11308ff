import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TableClient } from '@azure/data-tables';
import { DateTime } from 'luxon';
import { instrumented } from '../functions/instrumented.js';
import { refreshConnectionQueue } from '../functions/refreshConnectionQueue.js';
import type { LocalCloudEndpoints } from '../local/cloud/EmulatorContext.js';
import type { KeyVaultStats } from '../local/cloud/keyvault/keyVaultStats.js';
import { startAzurite } from '../local/azurite/startAzurite.js';
import { createInvocationContext } from '../local/devhost/invocationContext.js';
import { createCredential } from '../shared/adapters/azure/createCredential.js';
import { createConnectionTable } from '../shared/adapters/storage/connectionTable.js';
import { withoutCpuProfile, azuriteCpuProfile } from './vigilCpuProfile.js';
import { createQueueClient } from '../shared/adapters/storage/createQueueClient.js';
import { createRefreshQueue } from '../shared/adapters/storage/createRefreshQueue.js';
import { createTableClient } from '../shared/adapters/storage/createTableClient.js';
import { createRunTable } from '../shared/adapters/storage/runTable.js';
import { createTableEventLog } from '../shared/adapters/storage/tableEventLog.js';
import { loadSettings } from '../shared/settings/loadSettings.js';
import { toIsoUtc } from '../shared/helpers/toIsoUtc.js';
import type { ConnectionStateStore } from '../shared/tokens/TokenPorts.js';
import { scheduleRefreshes } from '../shared/tokens/scheduleRefreshes.js';
import { noTelemetry } from '../shared/telemetry/Telemetry.js';
import { createOpenTelemetry } from '../shared/adapters/telemetry/createOpenTelemetry.js';
import { benchTelemetryExporters } from './benchTelemetry.js';
import type { Runtime } from '../shared/wiring/createRuntime.js';
import { createTokenKeeper, toPlannerDeps } from '../shared/wiring/createTokenKeeper.js';
import { createVaultHealth } from '../shared/wiring/createVaultHealth.js';
import { resolveCloud } from '../shared/wiring/resolveCloud.js';
import { BENCH_APPS, BENCH_TENANT, BENCH_VIGIL_SECRET, appOfConnection, benchVaultNames } from './benchScenario.js';
import { aroundQueueHandler } from './aroundQueueHandler.js';
import { BENCH_LATENCY } from './benchGoals.js';
import { minimumRequests, refreshLatencyFloor, type MinimumRequests } from './minimumRequests.js';
import { SpooledQueue } from './spooledQueue.js';
import { runQueueLikeHost } from './runQueueLikeHost.js';
import { recordCall, watchCalls, type CallTimes } from './timeCalls.js';
import { startRefreshTimeline, type RefreshTimelineSummary } from './refreshTimeline.js';
import { idleRssMb, sampleMemory, type MemoryPeaks } from './sampleMemory.js';
import { countRequests, newCounter, type StorageCounter } from './countStorageRequests.js';
import { seedInChild } from './seedConnectionStates.js';
import { childCpuSeconds } from './childCpuSeconds.js';

/** One write-back in seven probes: steady state with daily probes and a 7-day write-back age. */
export const WRITE_BACK_EVERY = 7;
/**
 * Messages queued into Azurite after a run, to show why the bench spools its queue to a file: enough to
 * show the rate. 20,000 took 155 s under load, so the largest case's 100,000 would add many minutes to
 * its run and show nothing more.
 */
const ENQUEUE_SAMPLE = 10_000;

export interface RefreshBenchResult {
  connections: number;
  vaults: number;
  /** Steady state: every connection had its state row before the run (as on every hourly run but the first). */
  steady: boolean;
  /** The planning run alone: its messages are queued and none is refreshed (the planner's memory and requests). */
  planOnly: boolean;
  /**
   * The planning run alone: its wall time, its Table Storage requests (the state table's), the state rows
   * it read, and when it queued its first message (no refresh can start before).
   */
  planning: { ms: number; storageRequests: number; rows: number; firstQueuedMs: number };
  /** The fewest requests in the busiest vault: Key Vault's limits are per vault. */
  busiestVaultMinimum: MinimumRequests;
  wallMs: number;
  minimum: MinimumRequests;
  /** What the fewest requests take at BENCH_LATENCY through one instance's queue listener, and how that was worked out. */
  latencyFloor: { seconds: number; how: string };
  keyVault: KeyVaultStats & { requests: number };
  tokenCalls: number;
  /** Time awaited per port (Key Vault by method, the token endpoint, storage), and per whole refresh. */
  callTimes: CallTimes;
  outcomes: Record<string, number>;
  peakRssMb: number;
  /** RSS before the measured work: peak growth is peakRssMb − idleRssMb. */
  idleRssMb: number;
  peakHeapMb: number;
  peakLiveHeapMb: number;
  /** The same peaks while the planner ran (the refreshes it queued ran beside it), and after it had ended (RSS as sampled every 200 ms). */
  phases: { planning: MemoryPeaks; afterPlanning: MemoryPeaks };
  /** For scale, after the run: queueing this many messages (the connections, at most ENQUEUE_SAMPLE) into Azurite's queue. */
  azuriteEnqueue: { messages: number; ms: number };
  /** CPU seconds spent during the measured run by Vigil's process, the local cloud and Azurite: the machine's share of the work. */
  cpuSeconds: { vigil: number; localCloud: number; azurite: number | undefined };
  /**
   * Table Storage requests the refreshes made (the state table's leases and states, the event log, the
   * run table; not the planner's listing), and the time at least one of them was awaited.
   */
  refreshStorage: { requests: number; awaitedMs: number };
  /** With `timeline`: a probe's handler in parts, and Vigil's event-loop delay (refreshTimeline.ts). */
  timeline?: RefreshTimelineSummary;
}

/**
 * One measurement: the local cloud (own process, Azure's Key Vault limits) with N connections, Azurite
 * for leases, state and events, and Vigil's production adapters, driven as on the Functions host: the
 * planner lists and queues, the queue function's handler refreshes each connection.
 */
export async function runRefreshBench(
  connections: number,
  vaults = 1,
  steady = true,
  planOnly = false,
  withTimeline = false,
): Promise<RefreshBenchResult> {
  const { child, endpoints, vigilAppId } = await startCloud(connections, vaults);
  const azurite = await startAzurite(azuriteCpuProfile);
  try {
    const vaultUrls = benchVaultNames(vaults).map((name) => endpoints.vaults[name]!);
    const vaultUrl = vaultUrls[0]!;
    const settings = loadSettings({
      VIGIL_TENANT_ID: BENCH_TENANT,
      VIGIL_CLIENT_ID: vigilAppId,
      VIGIL_CLIENT_SECRET: BENCH_VIGIL_SECRET,
      VIGIL_CLOUD_ENDPOINTS: JSON.stringify({ global: { login: endpoints.clouds.global!.login, graph: endpoints.clouds.global!.graph } }),
      VIGIL_KEY_VAULT_URLS: vaultUrls.join(','),
      AzureWebJobsStorage: azurite.connectionString,
    });
    const storage = { kind: 'connectionString' as const, connectionString: azurite.connectionString };
    const credential = createCredential(
      { tenantId: BENCH_TENANT, clientId: vigilAppId, clientSecret: BENCH_VIGIL_SECRET },
      resolveCloud(settings, 'global'),
    );
    const [stateTable, eventTable] = [createTableClient(storage, 'BenchConnections'), createTableClient(storage, 'BenchEvents')];
    // Every storage request of the refreshes' chains (the planner lists through a client of its own, below).
    const refreshStorage = newCounter();
    await Promise.all([stateTable.createTable(), eventTable.createTable(), credential.getToken('https://vault.azure.net/.default')]);
    if (steady) {
      const now = toIsoUtc(DateTime.utc());
      await seedInChild({ connectionString: azurite.connectionString, tableName: 'BenchConnections', vaultUrls, connections, now });
    }
    const queue = new SpooledQueue();
    const events = createTableEventLog(eventTable);
    const production = createTokenKeeper(settings, credential, {
      table: stateTable,
      queue: createQueueClient(storage, 'bench-refresh'),
      events,
      vaultHealth: createVaultHealth(settings, createTableClient(storage, 'BenchVaultHealth'), events),
      // Every bench refresh succeeds: no client secret failure asks for the scanner's findings.
      findings: { ofApp: async () => [] },
    });
    // Every port a refresh awaits, timed: which requests of a connection's chain take the wall time.
    const callTimes: CallTimes = {};
    const timeline = withTimeline ? startRefreshTimeline(serviceByPort(endpoints, azurite.connectionString)) : undefined;
    const timeCalls = <T extends object>(prefix: string, target: T): T =>
      watchCalls(prefix, target, (name, started) => {
        recordCall(callTimes, name, performance.now() - started);
        timeline?.settled(name, started);
      });
    const keeper = {
      ...production,
      stores: production.stores.map((store) => timeCalls('Key Vault', store)),
      leases: timeCalls('storage (lease)', production.leases),
      events: timeCalls('storage (events)', production.events),
      queue,
      tokenEndpoint: timeCalls('token endpoint', production.tokenEndpoint),
    };
    // The queue handler reads the token keeper, telemetry and the health endpoint's run times from the runtime.
    const runTable = createTableClient(storage, 'BenchRuns');
    const runs = createRunTable(runTable);
    const exporters = benchTelemetryExporters();
    const telemetry = exporters ? createOpenTelemetry(exporters) : noTelemetry;
    const runtime = { tokenKeeper: keeper, telemetry, runs } as unknown as Runtime;
    const outcomes: Record<string, number> = {};
    const context = createInvocationContext(refreshConnectionQueue.name, (_n, level, message) => {
      const kind = level === 'information' ? (/: (\w+)/.exec(message)?.[1] ?? 'other') : level;
      outcomes[kind] = (outcomes[kind] ?? 0) + 1;
    });
    // Instrumented as the host runs it: the invocation's trace and the telemetry flush as it ends.
    const timedHandler = aroundQueueHandler(instrumented(refreshConnectionQueue), async (handle) => {
      const started = performance.now();
      try {
        await handle();
      } finally {
        recordCall(callTimes, 'refresh (whole handler)', performance.now() - started);
      }
    }).handler;
    const handler = timeline ? timeline.handler(timedHandler) : timedHandler;

    const planner = countedStates(createTableClient(storage, 'BenchConnections'));

    for (const client of [stateTable, eventTable, runTable]) countRequests(client, refreshStorage, { rows: false });
    const idle = idleRssMb();
    const memory = sampleMemory();
    const cpuBefore = { vigil: process.cpuUsage(), cloud: (await askCloud(child)).cpuSeconds, azurite: childCpuSeconds('azurite') };
    const started = performance.now();
    const planned = scheduleRefreshes({ ...toPlannerDeps(keeper), states: planner.states }, DateTime.utc());
    const planningMs = planned.then(() => performance.now() - started);
    // The planner's share of the peaks: while it lists and queues (refreshes run beside it), then the rest of the run.
    const whilePlanning = planned.then(() => {
      timeline?.plannerDone();
      return memory.split();
    });
    // A failed plan is thrown as the planner's error where the run awaits it; these two keep that error for their
    // own awaits, and must not meanwhile end the bench as an unhandled rejection.
    for (const derived of [planningMs, whilePlanning]) derived.catch(() => undefined);
    if (planOnly) await planned;
    else await runQueueLikeHost(queue, planned, (message) => handler(message, context, runtime));
    const wallMs = performance.now() - started;
    const timelineSummary = timeline?.stop();
    queue.close();
    const afterPlanning = memory.split();
    const peak = memory.stop();
    const stats = await askCloud(child);
    const vigilCpu = process.cpuUsage(cpuBefore.vigil);
    const azuriteCpu = childCpuSeconds('azurite');
    const cpuSeconds = {
      vigil: (vigilCpu.user + vigilCpu.system) / 1e6,
      localCloud: stats.cpuSeconds - cpuBefore.cloud,
      azurite: azuriteCpu === undefined || cpuBefore.azurite === undefined ? undefined : azuriteCpu - cpuBefore.azurite,
    };

    const enqueueStart = performance.now();
    const messages = Array.from({ length: planOnly ? 0 : Math.min(connections, ENQUEUE_SAMPLE) }, (_, i) => ({
      vaultUrl,
      name: `m${i}`,
      plannedAt: DateTime.utc().toISO(),
      reason: 'due' as const,
    }));
    await createRefreshQueue(createQueueClient(storage, 'bench-enqueue')).send(messages);
    const azuriteEnqueue = { messages: messages.length, ms: performance.now() - enqueueStart };
    // Per vault: its share of the connections (dealt round), of the write-backs (every 7th), the client
    // secrets of the apps its connections use (each vault lists all ten).
    const perVault = benchVaultNames(vaults).map((_, v) => {
      const mine = Math.ceil((connections - v) / vaults);
      let writeBacks = 0;
      const apps = new Set<number>();
      for (let i = v; i < connections; i += vaults) {
        if (i % WRITE_BACK_EVERY === 0) writeBacks += 1;
        apps.add(appOfConnection(i, connections));
      }
      return { minimum: minimumRequests(mine, writeBacks, apps.size, BENCH_APPS), writeBacks, apps: apps.size };
    });
    const total = perVault.reduce((a, b) => ({ writeBacks: a.writeBacks + b.writeBacks, apps: a.apps + b.apps }), {
      writeBacks: 0,
      apps: 0,
    });
    return {
      connections,
      vaults,
      steady,
      planOnly,
      planning: {
        ms: await planningMs,
        storageRequests: planner.counter.requests,
        rows: planner.rows(),
        firstQueuedMs: (queue.firstQueuedAt ?? Number.NaN) - started,
      },
      busiestVaultMinimum: perVault.map((v) => v.minimum).reduce((a, b) => (a.creates + a.others >= b.creates + b.others ? a : b)),
      wallMs,
      latencyFloor: refreshLatencyFloor({ connections, ...total }, BENCH_LATENCY),
      minimum: perVault
        .map((v) => v.minimum)
        .reduce((a, b) => ({
          creates: a.creates + b.creates,
          others: a.others + b.others,
          tokenCalls: a.tokenCalls + b.tokenCalls,
        })),
      keyVault: { ...stats.keyVault, requests: stats.keyVaultRequests },
      tokenCalls: callTimes['token endpoint.refresh']?.calls ?? 0,
      callTimes,
      outcomes,
      peakRssMb: peak.rssMb,
      idleRssMb: idle,
      peakHeapMb: peak.heapMb,
      peakLiveHeapMb: peak.liveHeapMb,
      phases: { planning: await whilePlanning, afterPlanning },
      azuriteEnqueue,
      cpuSeconds,
      refreshStorage: { requests: refreshStorage.requests, awaitedMs: refreshStorage.awaitedMs },
      ...(timelineSummary ? { timeline: timelineSummary } : {}),
    };
  } finally {
    child.send('stop');
    await azurite.stop();
  }
}

/**
 * The planner's state table on a client of its own that counts its requests (not its rows, which would
 * parse each answer twice in the measured process): what one planning run costs in storage requests.
 */
function countedStates(client: TableClient): { states: ConnectionStateStore; counter: StorageCounter; rows: () => number } {
  const counter = newCounter();
  countRequests(client, counter, { rows: false });
  const table = createConnectionTable(client);
  let rows = 0;
  const states: ConnectionStateStore = {
    ...table,
    async listVaultRows(vaultUrl) {
      const read = await table.listVaultRows(vaultUrl);
      rows += read.length;
      return read;
    },
  };
  return { states, counter, rows: () => rows };
}

/** Which service a request's `host:port` is: each vault, the login host and Azurite listen on ports of their own. */
function serviceByPort(endpoints: LocalCloudEndpoints, azuriteConnectionString: string): (host: string) => string {
  const services = new Map<string, string>();
  for (const url of Object.values(endpoints.vaults)) services.set(new URL(url).port, 'Key Vault');
  services.set(new URL(endpoints.clouds.global!.login).port, 'Entra');
  for (const [, port] of azuriteConnectionString.matchAll(/:(\d+)\//g)) services.set(port!, 'Azurite');
  return (host) => services.get(/:(\d+)$/.exec(host)?.[1] ?? '') ?? host;
}

interface CloudStats {
  keyVault: KeyVaultStats;
  keyVaultRequests: number;
  entraRequests: number;
  cpuSeconds: number;
}

async function startCloud(
  connections: number,
  vaults: number,
): Promise<{ child: ChildProcess; endpoints: LocalCloudEndpoints; vigilAppId: string }> {
  const child = fork(
    path.join(path.dirname(fileURLToPath(import.meta.url)), 'refreshBenchCloud.js'),
    [String(connections), String(WRITE_BACK_EVERY), String(vaults)],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: withoutCpuProfile(process.execArgv) },
  );
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, ...(m as { endpoints: LocalCloudEndpoints; vigilAppId: string }) }));
    child.once('exit', (code) => reject(new Error(`the bench's local cloud exited with ${code}`)));
  });
}

function askCloud(child: ChildProcess): Promise<CloudStats> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as CloudStats));
    child.send('stats');
  });
}
