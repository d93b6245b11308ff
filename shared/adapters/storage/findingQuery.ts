import { fromPageToken, toPageToken, type PagePosition } from '../../paging/pageToken.js';
import type { FindingQuery } from '../../scanner/ScanPorts.js';
import { odataString } from './ensureTable.js';
import { endKeyOf, rankOf, ranks } from './findingKeys.js';

const DAY_MS = 86_400_000;

/**
 * The query as Table Storage filters, in urgency order: one range per run of adjacent severities (or,
 * with `maxDaysLeft`, one per severity, each ending at the month of the last end date wanted), so every
 * filter is a key range the service serves in order without scanning other rows. Read one after the
 * other, their rows are the whole list, most urgent first. With a tenant, the tenant's own partitions;
 * without, the index of every tenant.
 */
export function findingFilters(query: FindingQuery, nowMs: number): string[] {
  const prefix = query.tenantId ? `${query.tenantId.toLowerCase()}~` : '';
  const wanted = ranks.filter((r) => !query.severities || query.severities.some((s) => rankOf(s) === r));
  const pk = (op: string, value: string) => `PartitionKey ${op} ${odataString(prefix + value)}`;
  if (query.maxDaysLeft !== undefined) {
    // Days left ≤ n exactly when the end is at most n days from now (evaluateCredential's rounding).
    const bound = endKeyOf(new Date(nowMs + query.maxDaysLeft * DAY_MS).toISOString());
    return wanted.map((r) => `${pk('ge', `${r}`)} and ${pk('le', `${r}${bound.slice(0, 7)}`)} and RowKey lt ${odataString(`${bound}~~`)}`);
  }
  const runs: Array<[number, number]> = [];
  for (const r of wanted) {
    const last = runs.at(-1);
    if (last && last[1] === r - 1) last[1] = r;
    else runs.push([r, r]);
  }
  return runs.map(([from, to]) => `${pk('ge', `${from}`)} and ${pk('lt', `${to + 1}`)}`);
}

/** What a findings page token is bound to: the filters, spelled the same however the request spelled them. */
const queryKeyOf = (query: FindingQuery) => [
  query.tenantId?.toLowerCase() ?? '',
  [...(query.severities ?? [])].sort(),
  query.maxDaysLeft ?? null,
];

export const toFindingsPageToken = (query: FindingQuery, position: PagePosition): string => toPageToken(queryKeyOf(query), position);
export const fromFindingsPageToken = (query: FindingQuery, token: string): PagePosition => fromPageToken(queryKeyOf(query), token);
