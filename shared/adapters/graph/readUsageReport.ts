import { chunksOf } from '../../helpers/chunksOf.js';
import { z } from 'zod';
import type { SignInRecord, UsageEvidence } from '../../intelligence/CredentialUsage.js';
import { appsPerFilteredRequest, usageRowsPerPage } from '../../intelligence/evidenceReads.js';
import type { PageFetcher } from './createPageFetcher.js';
import { eachAtOnce, odataQuery, readPages, visitPages, type GraphReadFailure } from './readPages.js';

/** The usage report needs this application permission (or Directory.Read.All), and Entra ID P1 or P2. */
export const usageReadPermission = 'AuditLog.Read.All';

const activitySchema = z.object({
  keyId: z.string(),
  resourceId: z.string().nullish(),
  signInActivity: z.object({ lastSignInDateTime: z.string().nullish() }).nullish(),
});

/**
 * Last sign-in of each credential of the given apps, from `GET /beta/reports/appCredentialSignInActivities`
 * filtered by app id: up to 15 apps per request (`appId in (…)`), paged. The report documents `eq` on
 * `appId` and `keyId`; should Graph refuse `in` (400), each app is asked for with `eq` instead. A
 * credential with entries for both its application and its service principal keeps the latest sign-in.
 * learn.microsoft.com/graph/api/reportroot-list-appcredentialsigninactivities
 */
export async function readUsageReport(fetcher: PageFetcher, origin: string, appIds: readonly string[]): Promise<UsageEvidence> {
  const byKeyId = new Map<string, SignInRecord>();
  let useIn = true;
  const readChunk = async (chunk: readonly string[]) => {
    let read = useIn ? await readFiltered(fetcher, origin, `appId in (${chunk.map(quoted).join(',')})`) : undefined;
    if (read && !read.ok && read.failure.status === 400) useIn = false;
    if (!useIn) read = await readEach(fetcher, origin, chunk);
    return read!;
  };
  // The first request learns whether Graph takes `in`; the others, independent of each other, go a few at once.
  const [first, ...rest] = chunksOf(appIds, appsPerFilteredRequest);
  const head = first && (await readChunk(first));
  if (head && !head.ok) return unavailable(head.failure);
  const reads = head ? [head, ...(await eachAtOnce(rest, readChunk))] : [];
  for (const read of reads) {
    if (!read.ok) return unavailable(read.failure);
    for (const item of read.items) keep(byKeyId, item);
  }
  return { kind: 'read', byKeyId };
}

/**
 * The report read whole, 999 rows a page, as far as it has been read: `whole` once its last page is in
 * (`pages` pages), `partial` while a next link is left (`pages` read so far, the rows they held, and where
 * the rest starts), `refused` when Graph refuses the page size (400: the caller reads by app instead), or
 * `failed` with why usage is unknown.
 */
export type UsageReportRead =
  | { kind: 'whole'; usage: UsageEvidence & { kind: 'read' }; pages: number }
  | { kind: 'partial'; byKeyId: Map<string, SignInRecord>; pages: number; next: string }
  | { kind: 'refused' }
  | { kind: 'failed'; usage: UsageEvidence };

/**
 * Reads the report whole, from its first page (`from` absent) or from where a partial read stopped, for
 * at most `maxPages` more pages: the first page alone tells whether the report is one page (no next link)
 * or more, which no count can tell (the report documents `$filter` only).
 */
export async function readUsageReportPages(
  fetcher: PageFetcher,
  origin: string,
  from?: UsageReportRead & { kind: 'partial' },
  maxPages = Infinity,
): Promise<UsageReportRead> {
  const byKeyId = from?.byKeyId ?? new Map<string, SignInRecord>();
  const url = from?.next ?? `${origin}/beta/reports/appCredentialSignInActivities?${odataQuery({ $top: String(usageRowsPerPage) })}`;
  const read = await visitPages(fetcher, origin, url, (items) => items.forEach((item) => keep(byKeyId, item)), {}, maxPages);
  if (!read.ok) return read.failure.status === 400 ? { kind: 'refused' } : { kind: 'failed', usage: unavailable(read.failure) };
  const pages = (from?.pages ?? 0) + read.pages;
  return read.next ? { kind: 'partial', byKeyId, pages, next: read.next } : { kind: 'whole', usage: { kind: 'read', byKeyId }, pages };
}

async function readEach(fetcher: PageFetcher, origin: string, appIds: readonly string[]) {
  const items: unknown[] = [];
  for (const appId of appIds) {
    const read = await readFiltered(fetcher, origin, `appId eq ${quoted(appId)}`);
    if (!read.ok) return read;
    items.push(...read.items);
  }
  return { ok: true as const, items };
}

/** One key's last sign-in, for a rotation deciding whether to retire it (`keyId eq`, documented). */
export async function readKeyUsage(fetcher: PageFetcher, origin: string, keyId: string): Promise<UsageEvidence> {
  const read = await readFiltered(fetcher, origin, `keyId eq ${quoted(keyId)}`);
  if (!read.ok) return unavailable(read.failure);
  const byKeyId = new Map<string, SignInRecord>();
  for (const item of read.items) keep(byKeyId, item);
  return { kind: 'read', byKeyId };
}

const readFiltered = (fetcher: PageFetcher, origin: string, filter: string) =>
  readPages(fetcher, origin, `${origin}/beta/reports/appCredentialSignInActivities?${odataQuery({ $filter: filter })}`);

const quoted = (value: string) => `'${value.replace(/'/g, "''")}'`;

function keep(byKeyId: Map<string, SignInRecord>, item: unknown): void {
  const parsed = activitySchema.safeParse(item);
  if (!parsed.success) return;
  const { keyId, resourceId, signInActivity } = parsed.data;
  const record: SignInRecord = { keyId, lastSignIn: signInActivity?.lastSignInDateTime ?? null, resourceId: resourceId ?? null };
  const known = byKeyId.get(keyId.toLowerCase());
  if (!known || isLater(record.lastSignIn, known.lastSignIn)) byKeyId.set(keyId.toLowerCase(), record);
}

const isLater = (a: string | null, b: string | null): boolean => a !== null && (b === null || Date.parse(a) > Date.parse(b));

/** Why the report could not be read, in words an admin acts on; never "unused". */
export function unavailable(failure: GraphReadFailure): UsageEvidence {
  if (failure.status === 403 && /NonPremium/i.test(failure.serviceCode ?? ''))
    return { kind: 'unavailable', reason: "the tenant has no Microsoft Entra ID P1 or P2 licence, which Entra's usage report needs" };
  if (failure.status === 403)
    return {
      kind: 'unavailable',
      reason: `Vigil may not read Entra's usage report in this tenant (grant ${usageReadPermission})`,
      missingPermission: usageReadPermission,
    };
  return { kind: 'unavailable', reason: `Entra's usage report could not be read: ${failure.reason}` };
}
