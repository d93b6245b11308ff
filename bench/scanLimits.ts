import { appsPerExpandedPage, fewestEvidenceRequests, usageRowsPerPage, worthCounting } from '../shared/intelligence/evidenceReads.js';

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
 * at once, so n requests need floor((n - 1) / limit) whole windows before the last one.
 */
export function limitFloorMs(requestsPerTenant: readonly number[]): number {
  const window = (n: number, limit: number, ms: number) => Math.floor(Math.max(0, n - 1) / limit) * ms;
  const perTenant = Math.max(
    0,
    ...requestsPerTenant.map((n) =>
      Math.max(window(n, GRAPH_LIMITS.keyCredentialSelectsPerMinute, 60_000), window(n, GRAPH_LIMITS.resourceUnitsPer10s, 10_000)),
    ),
  );
  const total = requestsPerTenant.reduce((a, b) => a + b, 0);
  return Math.max(perTenant, window(total, GRAPH_LIMITS.appResourceUnitsPer20s, 20_000));
}

/**
 * The fewest requests the intelligence reads add to a scan that judges anything (issue 16): the tenant's
 * default app management policy and the list of assigned ones (2, and one `appliesTo` per enabled
 * policy), the apps with a federated credential (one page of 999), then for the findings that need
 * evidence usage and owners, each the cheaper of 15 apps a request and the whole tenant (the report at 999
 * rows a page, owners at 100 applications a page with `$expand`), plus the one request that learns the
 * tenant's size where reading by app would take 3 requests or more (shared/intelligence/evidenceReads.ts)
 * and the scan does not know it: a full scan after the first has just counted the applications it read.
 */
export function intelligenceRequests(read: {
  sizeKnown: boolean;
  enabledPolicies: number;
  federatedApps: number;
  usageApps: number;
  ownerApps: number;
  tenantApplications: number;
  reportRows: number;
}): number {
  const counting = !read.sizeKnown && (worthCounting(read.usageApps) || worthCounting(read.ownerApps)) ? 1 : 0;
  const usage = read.usageApps === 0 ? 0 : fewestEvidenceRequests(read.usageApps, Math.ceil(read.reportRows / usageRowsPerPage));
  const owners =
    read.ownerApps === 0 ? 0 : fewestEvidenceRequests(read.ownerApps, Math.ceil(read.tenantApplications / appsPerExpandedPage));
  return 2 + read.enabledPolicies + pagesFor(read.federatedApps) + counting + usage + owners;
}
