import { createHash } from 'node:crypto';
import { z } from 'zod';
import { InvalidPageToken, type FindingQuery } from '../../scanner/ScanPorts.js';
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

/** Where the next page starts: which filter, and Table Storage's continuation within it. */
const pageTokenSchema = z.object({ v: z.literal(1), q: z.string(), s: z.number().int().min(0), c: z.string().optional() });
export type PagePosition = { filter: number; continuation?: string | undefined };

/** The query a token belongs to: a token is refused by any other query, so pages never mix lists. */
const fingerprintOf = (query: FindingQuery) =>
  createHash('sha256')
    .update(JSON.stringify([query.tenantId?.toLowerCase() ?? '', [...(query.severities ?? [])].sort(), query.maxDaysLeft ?? null]))
    .digest('base64url')
    .slice(0, 12);

export function toPageToken(query: FindingQuery, position: PagePosition): string {
  const token = { v: 1, q: fingerprintOf(query), s: position.filter, ...(position.continuation ? { c: position.continuation } : {}) };
  return Buffer.from(JSON.stringify(token), 'utf8').toString('base64url');
}

export function fromPageToken(query: FindingQuery, token: string): PagePosition {
  let parsed: z.output<typeof pageTokenSchema>;
  try {
    parsed = pageTokenSchema.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
  } catch {
    throw new InvalidPageToken();
  }
  if (parsed.q !== fingerprintOf(query)) throw new InvalidPageToken();
  return { filter: parsed.s, continuation: parsed.c };
}
