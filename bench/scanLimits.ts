import { queueHostOptions, simulateQueueListener } from '../local/devhost/queueListener.js';
import { BENCH_LATENCY } from './benchGoals.js';
import {
  appsPerExpandedPage,
  appsPerFilteredRequest,
  fewestEvidenceRequests,
  filteredRequests,
  usageRowsPerPage,
} from '../shared/intelligence/evidenceReads.js';
import { reportIsCheaper } from '../shared/intelligence/usageDecision.js';

/** Graph's published identity limits that bind a scan (learn.microsoft.com/graph/throttling-limits). */
export const GRAPH_LIMITS = {
  /** Requests whose `$select` includes keyCredentials, per tenant per minute. */
  keyCredentialSelectsPerMinute: 150,
  /** Resource units per app and tenant per 10 s (small tenant); a scan page costs 1 with `$select`. */
  resourceUnitsPer10s: 3_500,
  /** Resource units per app across all tenants per 20 s. */
  appResourceUnitsPer20s: 150_000,
} as const;

/** The fewest pages that read `objects` directory objects at 999 a page (at least one per collection). */
export const pagesFor = (objects: number): number => Math.max(1, Math.ceil(objects / 999));

/**
 * The earliest the last request can be sent under the limits: sliding windows admit `limit` requests
 * at once, so n requests need floor((n - 1) / limit) whole windows before the last one. The 150 a minute
 * bind only the requests that select keyCredentials (`selectsPerTenant`: the directory's pages); the
 * resource units every request (`requestsPerTenant`).
 */
export function limitFloorMs(requestsPerTenant: readonly number[], selectsPerTenant: readonly number[] = requestsPerTenant): number {
  const window = (n: number, limit: number, ms: number) => Math.floor(Math.max(0, n - 1) / limit) * ms;
  const perTenant = Math.max(
    0,
    ...selectsPerTenant.map((n) => window(n, GRAPH_LIMITS.keyCredentialSelectsPerMinute, 60_000)),
    ...requestsPerTenant.map((n) => window(n, GRAPH_LIMITS.resourceUnitsPer10s, 10_000)),
  );
  const total = requestsPerTenant.reduce((a, b) => a + b, 0);
  return Math.max(perTenant, window(total, GRAPH_LIMITS.appResourceUnitsPer20s, 20_000));
}

/**
 * When each collection's last directory page has answered, at `latencyMs` a request: each collection's
 * pages follow one another by nextLink, but the collections (applications, service principals) depend on
 * nothing of each other and may be read beside each other; every page selects keyCredentials, so a page
 * may start only once the page 150 before it started a minute ago (Graph's 150 a minute per tenant).
 * Greedy: the chain that is ready first sends next.
 */
export function directoryChainEnds(chains: readonly number[], latencyMs: number): number[] {
  const left = [...chains];
  const ready = chains.map(() => 0);
  const starts: number[] = [];
  const limit = GRAPH_LIMITS.keyCredentialSelectsPerMinute;
  for (;;) {
    let next = -1;
    for (let c = 0; c < left.length; c++) if (left[c]! > 0 && (next < 0 || ready[c]! < ready[next]!)) next = c;
    if (next < 0) return ready;
    const start = Math.max(ready[next]!, starts.length >= limit ? starts[starts.length - limit]! + 60_000 : 0);
    starts.push(start);
    ready[next] = start + latencyMs;
    left[next]! -= 1;
  }
}

/** The directory's collections, in the order of `chains` everywhere in the bench. */
export const COLLECTIONS = ['applications', 'servicePrincipals'] as const;
export type Collection = (typeof COLLECTIONS)[number];

/**
 * One way to read one kind of evidence (usage, owners) with the fewest requests:
 * - `whole`: the whole tenant's `pages` one after another by nextLink, after the first directory page
 *   that calls for them (a reader learns that findings ask for evidence only from a page);
 * - `byApp`: 15 apps a request, each request independent, the last partial one as the last page of each
 *   collection holding findings that ask (`after`) has been read: only then does the reader know the
 *   last apps to ask about.
 */
export type EvidenceWay = { way: 'whole'; pages: number } | { way: 'byApp'; after: readonly Collection[] };

/** One kind of evidence counted in the fewest requests: how many, and every way that takes that many. */
export interface EvidenceRead {
  kind: 'usage' | 'owners';
  requests: number;
  /** Both ways on a tie: the count is the same, and the floor takes whichever ends first (one rule for both). */
  ways: readonly EvidenceWay[];
}

/**
 * The fewest requests for evidence about `apps` applications, and the ways that take that many: the one
 * rule for the count, its description and the floor's chain. Whole is fewer when its pages are fewer than
 * the requests by app; by app when they are more; on a tie either is the fewest.
 */
export function evidenceRead(kind: EvidenceRead['kind'], apps: number, wholePages: number, after: readonly Collection[]): EvidenceRead {
  if (apps === 0) return { kind, requests: 0, ways: [] };
  const requests = fewestEvidenceRequests(apps, wholePages);
  const whole = Math.max(1, wholePages);
  const ways: EvidenceWay[] = [];
  if (whole === requests) ways.push({ way: 'whole', pages: whole });
  if (filteredRequests(apps) === requests) ways.push({ way: 'byApp', after });
  return { kind, requests, ways };
}

/** The intelligence reads of a scan: how many, and what the floor's chains need to know of them. */
export interface IntelligenceReads {
  requests: number;
  /**
   * Requests in the longest chain among the reads that wait for no directory page, counted from the scan's
   * start: the policies (the default one and the assigned ones at once, then every enabled one's
   * `appliesTo` at once) and the pages of apps with a federated credential.
   */
  chain: number;
  /** Usage and owners, each with the ways its fewest requests can be sent. */
  evidence: readonly EvidenceRead[];
  /** How `requests` was counted, printed with the fewest. */
  how: string;
}

/**
 * The fewest requests the intelligence reads add to a scan that judges anything (issue 16): the tenant's
 * default app management policy and the list of assigned ones (2, and one `appliesTo` per enabled
 * policy), the apps with a federated credential (one page of 999), then for the findings that need
 * evidence usage and owners, each the cheaper of 15 apps a request and the whole tenant (the report at 999
 * rows a page, owners at 100 applications a page with `$expand`; shared/intelligence/evidenceReads.ts). A
 * full read never asks the tenant's size: it counts the applications itself, or its pages' share decides.
 * `usageIn`: the collections holding findings that ask for usage (owners are asked for applications only).
 */
export function intelligenceRequests(read: {
  enabledPolicies: number;
  federatedApps: number;
  usageApps: number;
  usageIn: readonly Collection[];
  ownerApps: number;
  tenantApplications: number;
  reportRows: number;
}): IntelligenceReads {
  const usageWhole = Math.max(1, Math.ceil(read.reportRows / usageRowsPerPage));
  const ownersWhole = Math.max(1, Math.ceil(read.tenantApplications / appsPerExpandedPage));
  const usage = evidenceRead('usage', read.usageApps, usageWhole, read.usageIn);
  const owners = evidenceRead('owners', read.ownerApps, ownersWhole, ['applications']);
  const federated = pagesFor(read.federatedApps);
  // Which way each kind of evidence was counted, by the same ways the floor chooses between.
  const way = (e: EvidenceRead, apps: number, wholeHow: string) => {
    if (e.requests === 0) return '0';
    const whole = e.ways.some((w) => w.way === 'whole');
    const byApp = e.ways.some((w) => w.way === 'byApp');
    const count = `${apps} apps, ${appsPerFilteredRequest} a request`;
    if (whole && byApp) return `${e.requests} (a tie: ${wholeHow}, or ${count}; the floor takes whichever ends first)`;
    return whole ? `${e.requests} (${wholeHow}; ${apps} apps by app would take ${filteredRequests(apps)})` : `${e.requests} (${count})`;
  };
  // The report documents no count: a scan learns its size by reading its first page, and keeps it on the
  // scan state with the tenant's applications (shared/intelligence/usageDecision.ts). A one-page report is
  // that first page; a longer one costs a first scan what it read to learn it, once per tenant. On a tie of
  // more than one page the scan asks by app (`reportIsCheaper`).
  const usageIsWhole = read.usageApps > 0 && reportIsCheaper(usageWhole, filteredRequests(read.usageApps));
  const rows = `${read.reportRows} row${read.reportRows === 1 ? '' : 's'}`;
  const learning =
    read.usageApps === 0
      ? ''
      : usageWhole === 1
        ? `; a scan not knowing its size reads its first page, which has no nextLink: the whole report`
        : `; counted at the rows the report turned out to hold: a first scan, not knowing them, learns from its first page (1) only that there are more than ${usageRowsPerPage}, and unless the apps its pages have asked for so far already make reading on cheaper, counts the tenant's applications (1) to project its pages' share of apps asking onto, then goes the cheaper way (${usageIsWhole ? `on down the report: 1 + 1 + ${usageWhole - 1} = ${usageWhole + 1}` : `by app: 1 + 1 + ${usage.requests} = ${usage.requests + 2}, and up to ${Math.max(0, usage.requests - 2)} pages more where its pages' share projected the report might yet be cheaper, read on to find it was not`}); later full scans recall the report's pages and the tenant's count, and go the cheaper way at once (${usage.requests})`;
  const how =
    `policies ${2 + read.enabledPolicies} + federated apps ${federated}` +
    ` + usage ${way(usage, read.usageApps, `whole report: ${rows}, ${usageRowsPerPage} a page`)}${learning}` +
    ` + owners ${way(owners, read.ownerApps, `every app: ${read.tenantApplications}, ${appsPerExpandedPage} a page`)}`;
  return {
    requests: 2 + read.enabledPolicies + federated + usage.requests + owners.requests,
    // The default and the assigned policies at once, then every enabled policy's appliesTo at once.
    chain: Math.max(1 + (read.enabledPolicies > 0 ? 1 : 0), federated),
    evidence: [usage, owners],
    how,
  };
}

/**
 * What the fewest requests of one tenant's scan take at BENCH_LATENCY, each as soon as what it depends on
 * has answered: its client secret from Key Vault where the tenant is one of many (the home tenant signs in
 * as the app itself), a token unless `tokenCached` (a single-tenant bench signs in before its clock starts, as a
 * warm instance holds its managed identity's token for hours: the scan asks for none, and its floor waits for none),
 * then the latest of: the directory's pages (`directory`: each collection's
 * pages one after another, the collections beside each other, within Graph's 150 keyCredentials-selecting
 * requests a minute: directoryChainEnds); the reads that wait for no page (`intelligence.chain`); and each
 * kind of evidence by its way that ends first (whole: after the first page, its pages one after another;
 * by app: one round after the last page of each collection holding its apps).
 */
export function tenantLatencyFloor(
  directory: readonly number[],
  intelligence: IntelligenceReads,
  oneOfMany: boolean,
  { tokenCached = false }: { tokenCached?: boolean } = {},
): { ms: number; how: string } {
  const { graph, entra, keyvault } = BENCH_LATENCY;
  const ends = directoryChainEnds(directory, graph);
  const directoryMs = Math.max(0, ...ends);
  const firstPageMs = graph;
  const endOf = (w: EvidenceWay) =>
    w.way === 'whole' ? firstPageMs + w.pages * graph : Math.max(...w.after.map((c) => ends[COLLECTIONS.indexOf(c)] ?? 0)) + graph;
  const wayHow = (w: EvidenceWay) =>
    w.way === 'whole'
      ? `whole, ${w.pages} page${w.pages === 1 ? '' : 's'} after the first directory page`
      : `by app, one round after the last ${w.after.join(' and ')} page`;
  const parts: Array<{ ms: number; how: string }> = [
    {
      ms: directoryMs,
      how: `directory ${(directoryMs / 1000).toFixed(2)} s (${directory.map((pages, c) => `${COLLECTIONS[c]} ${pages} pages`).join(' ‖ ')}, each one after another by nextLink, 150 a minute between them, at Graph ${graph} ms)`,
    },
    {
      ms: intelligence.chain * graph,
      how: `policies and federated apps in ${intelligence.chain} round${intelligence.chain === 1 ? '' : 's'}`,
    },
  ];
  for (const e of intelligence.evidence) {
    const best = e.ways
      .map((w) => ({ ms: endOf(w), how: `${e.kind} ${wayHow(w)}` }))
      .reduce((a, b) => (b.ms < a.ms ? b : a), { ms: Infinity, how: '' });
    if (best.ms < Infinity) parts.push({ ms: best.ms, how: `${best.how} ${(best.ms / 1000).toFixed(2)} s` });
  }
  const longest = parts.reduce((a, b) => (b.ms > a.ms ? b : a));
  const others = parts.filter((p) => p !== longest).map((p) => p.how);
  const ms = (oneOfMany ? keyvault : 0) + (tokenCached ? 0 : entra) + longest.ms;
  const how = `${oneOfMany ? `Key Vault ${keyvault} ms + ` : ''}${tokenCached ? 'token cached (0 ms)' : `token ${entra} ms`} + ${longest.how}${others.length > 0 ? ` (beside it: ${others.join('; ')})` : ''}`;
  return { ms, how };
}

/**
 * Whether a tenant's scan waits for its app's client secret from Key Vault before it can ask for a token:
 * the tenants that sign in as one multi-tenant app share one secret, which a reader reads once per instance,
 * so only the scans that start before it is known wait for it: the listener's first batch. The home tenant
 * signs in as the instance's own identity and reads nothing.
 */
export function waitsForSecret(position: number, signsInAsApp: boolean): boolean {
  return signsInAsApp && position < queueHostOptions.batchSize;
}

/**
 * The floor of many tenants' scans through one instance's queue listener: each tenant takes exactly its
 * own latency floor, and the listener's rule (local/devhost/queueListener.ts, the rule the bench's driver
 * admits scans by) is run over them, simulated rather than worked out by hand.
 */
export function queuedLatencyFloor(perTenant: ReadonlyArray<{ ms: number; how: string }>): { ms: number; how: string } {
  const run = simulateQueueListener(perTenant.map((t) => t.ms));
  const hows = [...new Set(perTenant.map((t) => t.how))];
  return { ms: run.ms, how: `${run.how}; each tenant ${hows.join(' or ')}` };
}
