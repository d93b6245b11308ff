/**
 * How a scan reads owners and usage for the applications with findings, with the fewest requests Graph
 * allows (issue 16). Two ways, and the cheaper one is chosen per tenant:
 * - **by app**: `$filter=… in (…)`, 15 apps a request (Graph's known issues: an `in` filter takes at most
 *   15 values by default; more only in advanced queries, which `$expand` is not allowed in);
 * - **whole tenant**: owners by listing every application with `$expand=owners` (Graph then serves at
 *   most 100 objects a page, known issue 13635), usage by reading the whole report 999 rows a page.
 * JSON `$batch` saves round trips but not requests: Graph throttles each request in a batch on its own
 * (learn.microsoft.com/graph/json-batching), so it does not lower the count that Graph's limits see.
 */

/** Values one `in` filter may hold (Graph's default limit). */
export const appsPerFilteredRequest = 15;
/** Objects a directory list page holds when it `$expand`s a relationship. */
export const appsPerExpandedPage = 100;
/** Rows asked for per page of the usage report read whole (`$top`; Graph documents no smaller maximum). */
export const usageRowsPerPage = 999;

/** Requests to read evidence about `apps` applications 15 at a time. */
export const filteredRequests = (apps: number): number => Math.ceil(apps / appsPerFilteredRequest);

/**
 * Whether the tenant's size is worth one request (`GET /applications/$count`): only when reading by app
 * would take 3 requests or more, since the whole-tenant read of the smallest tenant takes 1, plus the count.
 */
export const worthCounting = (apps: number): boolean => filteredRequests(apps) >= 3;

/**
 * Whether reading the whole tenant is cheaper than reading these apps by filter, for a tenant of
 * `tenantApplications` applications: about when more than 15 % of its applications are asked about.
 * The usage report holds a row per credential and origin, so it follows the same rule: at 999 rows a
 * page its whole read is cheaper still wherever the owners' is.
 */
export const readsWholeTenant = (apps: number, tenantApplications: number): boolean =>
  filteredRequests(apps) > Math.ceil(tenantApplications / appsPerExpandedPage);

/**
 * Whether a full read still going should read the whole tenant, from the applications it has read so far
 * (`readApplications`) and how many of them have findings that ask (`apps`): their share stands for the
 * tenant's, and since both ways grow with the tenant's size, the share alone decides (about 15 %). No
 * request is spent on the tenant's size; the whole read is kept for the scan's later pages.
 */
export const sharePointsWhole = (apps: number, readApplications: number): boolean =>
  readApplications > 0 && readsWholeTenant(apps, readApplications);

/**
 * The fewest requests that read owners (or usage) for `apps` applications, by app or whole, where the
 * whole read takes `wholePages` pages (at least one). The request that learns the tenant's size is not in it.
 */
export function fewestEvidenceRequests(apps: number, wholePages: number): number {
  return Math.min(filteredRequests(apps), Math.max(1, wholePages));
}

/**
 * What a tenant's scans know of its usage report's size, kept on its scan state: the report took `pages`
 * pages of 999 when last read whole, or, with `more`, it had more than `pages` (a read saw a next link
 * after them and read on by app instead). The report documents no count, so only reading it tells; how
 * a scan reads usage with it is `decideUsageRead` (usageDecision.ts).
 */
export interface UsageReportSize {
  pages: number;
  more: boolean;
}
