import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { HttpRequest, InvocationContext } from '../functions/azureFunctions.js';
import type { FunctionDefinition } from '../functions/FunctionDefinition.js';
import { getDashboard } from '../functions/getDashboard.js';
import { listFindings } from '../functions/listFindings.js';
import { azuriteCpuProfile } from './vigilCpuProfile.js';
import { startAzurite } from '../local/azurite/startAzurite.js';
import { createTableClient } from '../shared/adapters/storage/createTableClient.js';
import { createFindingTable } from '../shared/adapters/storage/findingTable.js';
import { createScanStateTable } from '../shared/adapters/storage/scanStateTable.js';
import { tableNames, type TableRole } from '../shared/adapters/storage/tableNames.js';
import { evaluateCredential } from '../shared/scanner/evaluateCredential.js';
import type { Finding } from '../shared/scanner/Finding.js';
import type { ScanPolicy } from '../shared/scanner/ScanPolicy.js';
import { FindingTally } from '../shared/scanner/tallyFindings.js';
import { loadSettings } from '../shared/settings/loadSettings.js';
import { createRuntime } from '../shared/wiring/createRuntime.js';
import { toIsoUtc } from '../shared/helpers/toIsoUtc.js';
import { stableGuid } from '../local/cloud/state/credentials.js';
import { atMost, BENCH_LATENCY, describeFigure, type BenchFigure } from './benchGoals.js';
import { childCpuSeconds } from './childCpuSeconds.js';
import { countRequests, newCounter } from './countStorageRequests.js';
import { afterAzuriteSaved, preloadAzurite, recordingTable, type RecordingTable } from './preloadAzurite.js';
import { leaseScanState } from '../test/support/leaseScanState.js';
import { seconds } from './seconds.js';

const TENANTS = 100;
const tenantId = (t: number) => `00000000-0000-4000-8000-${String(t).padStart(12, '0')}`;

/**
 * `count` findings over TENANTS tenants, ends spread from 400 days ago to 60 days ahead, judged by the
 * runtime's own policy. App ids are GUIDs, as Entra's are: the by-app table spreads them over 256
 * partitions by their first two characters (`a1`, `a2`… put 100,000 rows in ten, and Azurite's cost per
 * write grows with its partition).
 */
function findingsOf(count: number, policy: ScanPolicy, now: DateTime): Finding[] {
  return Array.from({ length: count }, (_, i) => {
    const facts = {
      tenantId: tenantId(i % TENANTS),
      subjectKind: 'application' as const,
      objectId: `o${i}`,
      appId: stableGuid(`list-bench/app/${i}`),
      subjectName: `App ${i}`,
      keyId: `k${i}`,
      credentialType: 'password' as const,
      credentialName: 'prod',
      startDateTime: null,
      endDateTime: toIsoUtc(now.plus({ minutes: ((i * 7919) % (460 * 1440)) - 400 * 1440 })),
      federated: false,
      outlivedBy: null,
      vaultCopy: null,
      portalUrl: 'https://portal.azure.com/',
    };
    return evaluateCredential(facts, policy, now)!;
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export interface ListCost {
  /** Wall time of one answer through the handler: mostly Azurite's, which scans a whole table for a key range. */
  ms: number;
  /** The answer's wall time minus the time at least one storage request was awaited: Vigil's own work. */
  vigilMs: number;
  /** Vigil's own time plus each storage request at BENCH_LATENCY.tableStorage: the answer's time against Table Storage. */
  serverMs: number;
  /** Table Storage requests one answer made, and the rows they returned: what must not grow with the findings. */
  requests: number;
  rows: number;
  /** CPU Azurite spent on one answer: its scan of a whole table for a key range, which Table Storage serves by index. */
  azuriteMs: number | undefined;
}

const platformCaller = (tenantId: string) =>
  Buffer.from(
    JSON.stringify({
      claims: [
        { typ: 'tid', val: tenantId },
        { typ: 'oid', val: 'bench-operator' },
        { typ: 'roles', val: 'Vigil.Read' },
      ],
    }),
  ).toString('base64');

/** The findings API's first page and the status page, each through its own handler, with `count` findings stored. */
async function measure(count: number, write: (line: string) => void): Promise<{ firstPage: ListCost; statusPage: ListCost }> {
  const now = DateTime.utc();
  const started = performance.now();
  const elapsed = () => seconds(performance.now() - started);
  const tenants = Array.from({ length: TENANTS }, (_, t) => ({
    tenantId: tenantId(t),
    displayName: `Tenant ${t}`,
    auth: t === 0 ? { kind: 'managedIdentity' } : { kind: 'clientSecret', clientId: tenantId(0), keyVaultSecretName: `tenant-${t}` },
  }));
  const settings = (storage: string) =>
    loadSettings({
      VIGIL_TENANT_ID: tenantId(0),
      VIGIL_CLIENT_ID: tenantId(0),
      VIGIL_CLIENT_SECRET: 'bench',
      AzureWebJobsStorage: storage,
      VIGIL_KEY_VAULT_URLS: 'https://bench.vault.azure.net',
      VIGIL_TENANTS: JSON.stringify(tenants),
      VIGIL_TRUST_PLATFORM_AUTH: 'true',
    });
  // The findings are written by the finding table's own store, tenant by tenant as scans would, into
  // recording tables, and those rows into Azurite's database before it starts (preloadAzurite.ts): through
  // Azurite's HTTP API, 100,000 of them took over an hour.
  const recorded = { findings: recordingTable(), findingIndex: recordingTable(), findingsByApp: recordingTable() };
  const writer = createFindingTable({
    tenants: recorded.findings.client,
    index: recorded.findingIndex.client,
    byApp: recorded.findingsByApp.client,
  });
  const all = findingsOf(count, createRuntime(settings('UseDevelopmentStorage=true')).scanner.policy, now);
  const perTenant = new Map<string, Finding[]>();
  for (const f of all) {
    const mine = perTenant.get(f.tenantId);
    if (mine) mine.push(f);
    else perTenant.set(f.tenantId, [f]);
  }
  for (const [tenant, mine] of perTenant) await writer.apply(tenant, { upserts: mine, removals: [], before: new Map() });
  const rows = Object.values(recorded).reduce((n, table) => n + table.rows.size, 0);
  write(
    `  ${count.toLocaleString('en-US')} findings: ${rows.toLocaleString('en-US')} rows written by the finding table's store (${elapsed()})`,
  );
  const location = await mkdtemp(path.join(os.tmpdir(), 'vigil-list-bench-'));
  await preloadAzurite(
    location,
    Object.fromEntries(Object.entries(recorded).map(([role, table]) => [tableNames[role as TableRole], table.rows.values()])),
  );
  write(`  … into Azurite's database file (${elapsed()})`);
  // Azurite reads the whole file before it listens: minutes for 300,000 rows on a loaded machine.
  const azurite = await startAzurite({ ...azuriteCpuProfile, location, startTimeoutMs: 15 * 60_000 });
  write(`  … Azurite started with them (${elapsed()})`);
  try {
    const runtime = createRuntime(settings(azurite.connectionString));
    const counter = newCounter();
    for (const role of Object.keys(tableNames) as TableRole[]) countRequests(runtime.table(role), counter);
    await expectPreloaded(azurite.connectionString, recorded.findingIndex);
    const states = createScanStateTable(
      createTableClient({ kind: 'connectionString', connectionString: azurite.connectionString }, tableNames.scanState),
    );
    for (const [tenant, mine] of perTenant) {
      const lease = await leaseScanState(states, tenant, now, 'bench');
      if (lease.kind !== 'acquired') throw new Error(`no lease for ${tenant}`);
      const tally = new FindingTally(0);
      tally.add(mine);
      const at = now.toISO();
      const lastScan = {
        at,
        mode: 'full' as const,
        applications: mine.length,
        servicePrincipals: 0,
        findings: mine.length,
        durationMs: 0,
        counts: tally.counts,
      };
      await states.release(lease.lease, { tenantId: tenant, lastSuccessAt: at, lastFullScanAt: at, lastScan });
    }
    const call = (definition: FunctionDefinition, route: string) => async () => {
      if (definition.kind !== 'http') throw new Error(`${definition.name} is not an HTTP function`);
      const request = new HttpRequest({
        method: 'GET',
        url: `https://vigil.bench/api/${route}`,
        headers: { 'x-ms-client-principal': platformCaller(tenantId(0)), accept: 'text/html' },
      });
      const response = await definition.handler(request, new InvocationContext({ functionName: definition.name }), runtime);
      if (response.status !== 200)
        throw new Error(`${route} answered ${response.status}: ${typeof response.body === 'string' ? response.body : ''}`);
    };
    // A first answer of each creates what the handlers use; then Azurite saves its database once, unmeasured.
    const written = Date.now();
    await call(listFindings, 'findings')();
    await call(getDashboard, 'dashboard')();
    await afterAzuriteSaved(location, written);
    write(`  … saved by Azurite after the last write (${elapsed()})`);
    // Median of 7 after a warm-up; requests and rows are those of the last run (the same every run).
    const time = async (work: () => Promise<void>): Promise<ListCost> => {
      await work();
      const runs: number[] = [];
      const own: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < 7; i++) {
        Object.assign(counter, newCounter());
        const [started, cpuBefore] = [performance.now(), childCpuSeconds('azurite')];
        await work();
        runs.push(performance.now() - started);
        own.push(runs.at(-1)! - counter.awaitedMs);
        const cpuAfter = childCpuSeconds('azurite');
        if (cpuBefore !== undefined && cpuAfter !== undefined) cpu.push((cpuAfter - cpuBefore) * 1000);
      }
      const vigilMs = median(own);
      return {
        ms: median(runs),
        vigilMs,
        serverMs: vigilMs + counter.requests * BENCH_LATENCY.tableStorage,
        requests: counter.requests,
        rows: counter.rows,
        azuriteMs: cpu.length > 0 ? median(cpu) : undefined,
      };
    };
    return { firstPage: await time(call(listFindings, 'findings')), statusPage: await time(call(getDashboard, 'dashboard')) };
  } finally {
    await azurite.stop();
    await rm(location, { recursive: true, force: true });
  }
}

/** Azurite serves the preloaded rows: one index partition, read through its API, holds every row recorded for it. */
async function expectPreloaded(connectionString: string, index: RecordingTable): Promise<void> {
  const [first] = index.rows.values();
  if (!first) return;
  const expected = [...index.rows.values()].filter((r) => r.partitionKey === first.partitionKey).length;
  const table = createTableClient({ kind: 'connectionString', connectionString }, tableNames.findingIndex);
  let served = 0;
  const rows = table.listEntities({ queryOptions: { filter: `PartitionKey eq '${first.partitionKey}'`, select: ['RowKey'] } });
  for await (const _ of rows) served += 1;
  if (served !== expected)
    throw new Error(`Azurite serves ${served} of the ${expected} rows preloaded into index partition ${first.partitionKey}`);
}

/** `GET /api/findings` first page and the status page at 100,000 findings ÷ at 1,000 (issue 15: ≤ 2). */
export async function runListBench(write: (line: string) => void = console.log): Promise<BenchFigure[]> {
  write('');
  write(`Lists benchmark: findings over ${TENANTS} tenants in Azurite; median of 7 handler times after a warm-up.`);
  write(
    `Server time = Vigil's own time (the handler's wall time minus the time it awaited storage) + storage requests × ${BENCH_LATENCY.tableStorage} ms,`,
  );
  write(
    `a Table Storage request in the app's region (BENCH_LATENCY.tableStorage). Azurite's own time is left out: it scans a whole table for a`,
  );
  write(`PartitionKey/RowKey range that Table Storage serves by index, so its wall time grows with the table, not with Vigil's work.`);
  const small = await measure(1_000, write);
  const largeCount = Number(process.env['LIST_BENCH_LARGE'] ?? 100_000);
  const large = await measure(largeCount, write);
  const many = largeCount.toLocaleString('en-US');
  const cell = (c: ListCost) =>
    `${c.serverMs.toFixed(1)} ms (Vigil ${c.vigilMs.toFixed(1)} ms), ${c.requests} requests, ${c.rows} rows; wall on Azurite ${c.ms.toFixed(1)} ms${c.azuriteMs === undefined ? '' : `, Azurite CPU ${c.azuriteMs.toFixed(0)} ms`}`;
  write(`| Findings | First page of GET /api/findings | Status page |`);
  write('|---|---|---|');
  write(`| 1,000 | ${cell(small.firstPage)} | ${cell(small.statusPage)} |`);
  write(`| ${many} | ${cell(large.firstPage)} | ${cell(large.statusPage)} |`);
  const figuresOf = (label: string, a: ListCost, b: ListCost) => [
    atMost(
      label,
      'server time',
      b.serverMs / a.serverMs,
      2,
      `(Vigil ${b.vigilMs.toFixed(1)} ms + ${b.requests} × ${BENCH_LATENCY.tableStorage} ms) ÷ (Vigil ${a.vigilMs.toFixed(1)} ms + ${a.requests} × ${BENCH_LATENCY.tableStorage} ms), through the handler (storage, rows, HTML or JSON; no HTTP)`,
    ),
    atMost(label, 'storage requests per answer', b.requests / a.requests, 1, `${b.requests} ÷ ${a.requests}`),
    atMost(label, 'rows read per answer', b.rows / a.rows, 1, `${b.rows} ÷ ${a.rows}`),
  ];
  const figures = [
    ...figuresOf(`findings API first page, ${many} ÷ 1,000 findings`, small.firstPage, large.firstPage),
    ...figuresOf(`status page, ${many} ÷ 1,000 findings`, small.statusPage, large.statusPage),
  ];
  for (const g of figures) write(describeFigure(g));
  const raw = (a: ListCost, b: ListCost) => `${(b.ms / a.ms).toFixed(1)} (${b.ms.toFixed(1)} ms ÷ ${a.ms.toFixed(1)} ms)`;
  write(
    `  (not a goal) wall time on Azurite, ${many} ÷ 1,000: first page ${raw(small.firstPage, large.firstPage)}, status page ${raw(small.statusPage, large.statusPage)}: Azurite's table scans, which Table Storage's index does not make.`,
  );
  return figures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const json = process.argv.includes('--json');
  const figures = await runListBench(json ? (line) => console.error(line) : console.log);
  if (json) for (const g of figures) console.log(JSON.stringify(g));
}
