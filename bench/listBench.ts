import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { startAzurite } from '../local/azurite/startAzurite.js';
import { createTableClient } from '../shared/adapters/storage/createTableClient.js';
import { createFindingTable } from '../shared/adapters/storage/findingTable.js';
import { createScanStateTable } from '../shared/adapters/storage/scanStateTable.js';
import type { DashboardSources } from '../shared/dashboard/DashboardSources.js';
import { loadDashboardView } from '../shared/dashboard/loadDashboardView.js';
import { renderDashboard } from '../shared/dashboard/renderDashboard.js';
import { evaluateCredential } from '../shared/scanner/evaluateCredential.js';
import type { Finding } from '../shared/scanner/Finding.js';
import type { ScanPolicy } from '../shared/scanner/ScanPolicy.js';
import { FindingTally } from '../shared/scanner/tallyFindings.js';
import { toFindingRows } from '../shared/scanner/toFindingRows.js';
import { atMost, type BenchFigure } from './benchGoals.js';

const TENANTS = 100;
const policy: ScanPolicy = {
  thresholdsDays: [60, 30, 14, 7, 3, 1],
  staleAfterDays: 30,
  fullScanEveryHours: 24,
  firstScanItems: 25,
  unusedAfterDays: 30,
  secretMaxLifetimeDays: 180,
};
const tenantId = (t: number) => `00000000-0000-4000-8000-${String(t).padStart(12, '0')}`;

/** `count` findings over TENANTS tenants, ends spread from 400 days ago to 60 days ahead. */
function findingsOf(count: number, now: DateTime): Finding[] {
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
      endDateTime: now.plus({ minutes: ((i * 7919) % (460 * 1440)) - 400 * 1440 }).toISO()!,
      federated: false,
      outlivedBy: null,
      vaultCopy: null,
      portalUrl: 'https://portal.azure.com/',
    };
    return evaluateCredential(facts, policy, now)!;
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Server time of the findings API's first page and of the status page, with `count` findings stored. */
async function measure(count: number): Promise<{ firstPageMs: number; statusPageMs: number }> {
  const azurite = await startAzurite();
  try {
    const table = (name: string) => createTableClient({ kind: 'connectionString', connectionString: azurite.connectionString }, name);
    const findings = createFindingTable({ tenants: table('VigilFindings'), index: table('VigilFindingIndex') });
    const states = createScanStateTable(table('VigilScanState'));
    const now = DateTime.utc();
    const all = findingsOf(count, now);
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
    const tenants = Array.from({ length: TENANTS }, (_, t) => ({ id: tenantId(t), name: `Tenant ${t}` }));
    const sources: DashboardSources = {
      tenants,
      vaultUrls: [],
      findings: async (query, limit) => {
        const page = await findings.page(query, { size: limit, nowMs: Date.now() });
        return { findings: page.findings, more: page.next !== undefined };
      },
      scanStates: () => states.listAll(),
      connections: async () => [],
      vaultHealth: async () => [],
      openRotations: async () => [],
      failedRotations: async () => [],
      snoozed: async () => [],
      deliveries: async () => [],
      poisonDepth: async () => 0,
      signInLinks: false,
    };
    // What listFindings and getDashboard do with storage, timed after one warm-up each.
    const firstPage = async () => {
      const [page] = await Promise.all([findings.page({}, { size: 100, nowMs: Date.now() }), states.listAll()]);
      return JSON.stringify(toFindingRows(page.findings, (id) => id));
    };
    const statusPage = async () => renderDashboard(await loadDashboardView(sources, {}, DateTime.utc()), '');
    const time = async (work: () => Promise<unknown>) => {
      await work();
      const runs: number[] = [];
      for (let i = 0; i < 7; i++) {
        const started = performance.now();
        await work();
        runs.push(performance.now() - started);
      }
      return median(runs);
    };
    return { firstPageMs: await time(firstPage), statusPageMs: await time(statusPage) };
  } finally {
    await azurite.stop();
  }
}

/** `GET /api/findings` first page and the status page at 100,000 findings ÷ at 1,000 (issue 15: ≤ 2). */
export async function runListBench(write: (line: string) => void = console.log): Promise<BenchFigure[]> {
  write('');
  write(`Lists benchmark: findings over ${TENANTS} tenants in Azurite; median of 7 server times after a warm-up.`);
  const small = await measure(1_000);
  const large = await measure(100_000);
  write(`| Findings | First page of GET /api/findings | Status page |`);
  write('|---|---|---|');
  write(`| 1,000 | ${small.firstPageMs.toFixed(1)} ms | ${small.statusPageMs.toFixed(1)} ms |`);
  write(`| 100,000 | ${large.firstPageMs.toFixed(1)} ms | ${large.statusPageMs.toFixed(1)} ms |`);
  const how = (a: number, b: number) => `${b.toFixed(1)} ms ÷ ${a.toFixed(1)} ms (storage reads, rows and HTML; no HTTP)`;
  const figures = [
    atMost(
      'findings API first page, 100,000 ÷ 1,000 findings',
      'server time',
      large.firstPageMs / small.firstPageMs,
      2,
      how(small.firstPageMs, large.firstPageMs),
    ),
    atMost(
      'status page, 100,000 ÷ 1,000 findings',
      'server time',
      large.statusPageMs / small.statusPageMs,
      2,
      how(small.statusPageMs, large.statusPageMs),
    ),
  ];
  for (const g of figures) write(`  ${g.ok ? 'ok  ' : 'MISS'} ${g.case}: ${g.metric} ${g.value} (goal ${g.goal}) — ${g.how}`);
  return figures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const json = process.argv.includes('--json');
  const figures = await runListBench(json ? (line) => console.error(line) : console.log);
  if (json) for (const g of figures) console.log(JSON.stringify(g));
}
