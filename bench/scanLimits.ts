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
 * The earliest every directory page can have answered, at `latencyMs` a request: each collection's pages
 * follow one another by nextLink, but the collections (applications, service principals) depend on nothing
 * of each other and may be read beside each other; every page selects keyCredentials, so a page may start
 * only once the page 150 before it started a minute ago (Graph's 150 a minute per tenant). Greedy: the
 * chain that is ready first sends next.
 */
export function directoryChainMs(chains: readonly number[], latencyMs: number): number {
  const left = [...chains];
  const ready = chains.map(() => 0);
  const starts: number[] = [];
  const limit = GRAPH_LIMITS.keyCredentialSelectsPerMinute;
  let end = 0;
  for (;;) {
    let next = -1;
    for (let c = 0; c < left.length; c++) if (left[c]! > 0 && (next < 0 || ready[c]! < ready[next]!)) next = c;
    if (next < 0) return end;
    const start = Math.max(ready[next]!, starts.length >= limit ? starts[starts.length - limit]! + 60_000 : 0);
    starts.push(start);
    ready[next] = start + latencyMs;
    left[next]! -= 1;
    end = Math.max(end, ready[next]!);
  }
}

/** The intelligence reads of a scan: how many, and the longest run of them that must follow one another. */
export interface IntelligenceReads {
  requests: number;
  /**
   * Requests in the longest chain among them, counted from the scan's start: the policies (the default
   * one, the assigned ones, each one's `appliesTo`), and each kind of evidence after the first page that
   * decides how to read it (the whole tenant's `nextLink` chain, or one round of requests by app).
   */
  chain: number;
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
 */
export function intelligenceRequests(read: {
  enabledPolicies: number;
  federatedApps: number;
  usageApps: number;
  ownerApps: number;
  tenantApplications: number;
  reportRows: number;
}): IntelligenceReads {
  const usageWhole = Math.max(1, Math.ceil(read.reportRows / usageRowsPerPage));
  const ownersWhole = Math.max(1, Math.ceil(read.tenantApplications / appsPerExpandedPage));
  const usage = read.usageApps === 0 ? 0 : fewestEvidenceRequests(read.usageApps, usageWhole);
  const owners = read.ownerApps === 0 ? 0 : fewestEvidenceRequests(read.ownerApps, ownersWhole);
  // Which way the scan takes when it knows every count: the report by `reportIsCheaper` (a tie of more than
  // one goes by app, 4 at once), owners whole only when fewer (evidenceReads.ts `readsWholeTenant`).
  const usageIsWhole = read.usageApps > 0 && reportIsCheaper(usageWhole, filteredRequests(read.usageApps));
  const ownersIsWhole = read.ownerApps > 0 && ownersWhole < filteredRequests(read.ownerApps);
  // By app, the requests are independent of one another: one round after the page that asks.
  const chainOf = (requests: number, whole: number, isWhole: boolean) => (requests === 0 ? 0 : 1 + (isWhole ? whole : 1));
  const federated = pagesFor(read.federatedApps);
  // Which way each kind of evidence was counted: the whole read counts the report's rows as they turned out.
  const way = (requests: number, isWhole: boolean, apps: number, wholeHow: string) =>
    requests === 0
      ? '0'
      : isWhole
        ? `${requests} (${wholeHow}; ${apps} apps by app would take ${filteredRequests(apps)})`
        : `${requests} (${apps} apps, ${appsPerFilteredRequest} a request)`;
  // The report documents no count: a scan learns its size by reading its first page, and keeps it on the
  // scan state with the tenant's applications (shared/intelligence/usageDecision.ts). A one-page report is
  // that first page; a longer one costs a first scan what it read to learn it, once per tenant.
  const rows = `${read.reportRows} row${read.reportRows === 1 ? '' : 's'}`;
  const learning =
    read.usageApps === 0
      ? ''
      : usageWhole === 1
        ? `; a scan not knowing its size reads its first page, which has no nextLink: the whole report`
        : `; counted at the rows the report turned out to hold: a first scan, not knowing them, learns from its first page (1) only that there are more than ${usageRowsPerPage}, and unless the apps its pages have asked for so far already make reading on cheaper, counts the tenant's applications (1) to project its pages' share of apps asking onto, then goes the cheaper way (${usageIsWhole ? `on down the report: 1 + 1 + ${usageWhole - 1} = ${usageWhole + 1}` : `by app: 1 + 1 + ${usage} = ${usage + 2}, and up to ${Math.max(0, usage - 2)} pages more where its pages' share projected the report might yet be cheaper, read on to find it was not`}); later full scans recall the report's pages and the tenant's count, and go the cheaper way at once (${usage})`;
  const how =
    `policies ${2 + read.enabledPolicies} + federated apps ${federated}` +
    ` + usage ${way(usage, usageIsWhole, read.usageApps, `whole report: ${rows}, ${usageRowsPerPage} a page`)}${learning}` +
    ` + owners ${way(owners, ownersIsWhole, read.ownerApps, `every app: ${read.tenantApplications}, ${appsPerExpandedPage} a page`)}`;
  return {
    requests: 2 + read.enabledPolicies + federated + usage + owners,
    chain: Math.max(
      2 + read.enabledPolicies,
      federated,
      chainOf(usage, usageWhole, usageIsWhole),
      chainOf(owners, ownersWhole, ownersIsWhole),
    ),
    how,
  };
}
