import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { HttpRequest, InvocationContext } from '../functions/azureFunctions.js';
import type { FunctionDefinition } from '../functions/FunctionDefinition.js';
import { getDashboard } from '../functions/getDashboard.js';
import { listFindings } from '../functions/listFindings.js';
import { startAzurite } from '../local/azurite/startAzurite.js';
import { createTableClient } from '../shared/adapters/storage/createTableClient.js';
import { createFindingTable } from '../shared/adapters/storage/findingTable.js';
import { createScanStateTable } from '../shared/adapters/storage/scanStateTable.js';
import { storageRequestLimits } from '../shared/adapters/storage/storageRequestLimits.js';
import { tableNames, type TableRole } from '../shared/adapters/storage/tableNames.js';
import { evaluateCredential } from '../shared/scanner/evaluateCredential.js';
import type { Finding } from '../shared/scanner/Finding.js';
import type { ScanPolicy } from '../shared/scanner/ScanPolicy.js';
import { FindingTally } from '../shared/scanner/tallyFindings.js';
import { loadSettings } from '../shared/settings/loadSettings.js';
import { createRuntime } from '../shared/wiring/createRuntime.js';
import { toIsoUtc } from '../shared/helpers/toIsoUtc.js';
import { atMost, BENCH_LATENCY, type BenchFigure } from './benchGoals.js';
import { childCpuSeconds } from './childCpuSeconds.js';
import { countRequests, newCounter } from './countStorageRequests.js';

const TENANTS = 100;
const tenantId = (t: number) => `00000000-0000-4000-8000-${String(t).padStart(12, '0')}`;

/** `count` findings over TENANTS tenants, ends spread from 400 days ago to 60 days ahead, judged by the runtime's own policy. */
function findingsOf(count: number, policy: ScanPolicy, now: DateTime): Finding[] {
  return Array.from({ length: count }, (_, i) => {
    const facts = {
      tenantId: tenantId(i % TENANTS),
      subjectKind: 'application' as const,
      objectId: `o${i}`,
      appId: `a${i}`,
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
async function measure(count: number): Promise<{ firstPage: ListCost; statusPage: ListCost }> {
  const azurite = await startAzurite();
  try {
    const tenants = Array.from({ length: TENANTS }, (_, t) => ({
      tenantId: tenantId(t),
      displayName: `Tenant ${t}`,
      auth: t === 0 ? { kind: 'managedIdentity' } : { kind: 'clientSecret', clientId: tenantId(0), keyVaultSecretName: `tenant-${t}` },
    }));
    const runtime = createRuntime(
      loadSettings({
        VIGIL_TENANT_ID: tenantId(0),
        VIGIL_CLIENT_ID: tenantId(0),
        VIGIL_CLIENT_SECRET: 'bench',
        AzureWebJobsStorage: azurite.connectionString,
        VIGIL_KEY_VAULT_URLS: 'https://bench.vault.azure.net',
        VIGIL_TENANTS: JSON.stringify(tenants),
        VIGIL_TRUST_PLATFORM_AUTH: 'true',
      }),
    );
    const counter = newCounter();
    for (const role of Object.keys(tableNames) as TableRole[]) countRequests(runtime.table(role), counter);
    // Seeded through the same stores with patient clients (a loaded machine's Azurite can take more than the
    // production 10 s per try to write 100,000 rows); the measured answers use the runtime's own.
    const patient = (role: TableRole) =>
      createTableClient({ kind: 'connectionString', connectionString: azurite.connectionString }, tableNames[role], {
        ...storageRequestLimits,
        tryTimeoutMs: 300_000,
      });
    const findings = createFindingTable({ tenants: patient('findings'), index: patient('findingIndex'), byApp: patient('findingsByApp') });
    const states = createScanStateTable(patient('scanState'));
    const now = DateTime.utc();
    const all = findingsOf(count, runtime.scanner.policy, now);
    for (let t = 0; t < TENANTS; t++) {
      const mine = all.filter((f) => f.tenantId === tenantId(t));
      await findings.apply(tenantId(t), { upserts: mine, removals: [], before: new Map() });
      const lease = await states.acquire(tenantId(t), now, 'bench');
      if (lease.kind !== 'acquired') throw new Error(`no lease for ${tenantId(t)}`);
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
      await states.release(lease.lease, { tenantId: tenantId(t), lastSuccessAt: at, lastFullScanAt: at, lastScan });
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
  }
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
  const small = await measure(1_000);
  const largeCount = Number(process.env['LIST_BENCH_LARGE'] ?? 100_000);
  const large = await measure(largeCount);
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
  for (const g of figures) write(`  ${g.ok ? 'ok  ' : 'MISS'} ${g.case}: ${g.metric} ${g.value} (goal ${g.goal}) — ${g.how}`);
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
