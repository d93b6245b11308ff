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

/** Graph's default limit on the values of one `in` filter: the usage report and owners are read 15 apps a request. */
const VALUES_PER_IN_FILTER = 15;

/**
 * The fewest requests the intelligence reads add to a scan that judges anything (issue 16): the tenant's
 * default app management policy and the list of assigned ones (2, and one `appliesTo` per enabled
 * policy), the apps with a federated credential (one page of 999), then for the findings that need
 * evidence one usage report request per 15 apps and one owners request per 15 apps with client secrets.
 */
export function intelligenceRequests(read: {
  enabledPolicies: number;
  federatedApps: number;
  usageApps: number;
  ownerApps: number;
}): number {
  const per15 = (n: number) => Math.ceil(n / VALUES_PER_IN_FILTER);
  return 2 + read.enabledPolicies + pagesFor(read.federatedApps) + per15(read.usageApps) + per15(read.ownerApps);
}
