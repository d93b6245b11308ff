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
 * The whole report, 999 rows a page: cheaper than asking by app when many of the tenant's apps are
 * watched. Should Graph refuse the page size (400), the caller reads by app instead.
 */
export async function readWholeUsageReport(fetcher: PageFetcher, origin: string): Promise<UsageEvidence | { kind: 'refused' }> {
  const byKeyId = new Map<string, SignInRecord>();
  const url = `${origin}/beta/reports/appCredentialSignInActivities?${odataQuery({ $top: String(usageRowsPerPage) })}`;
  const read = await visitPages(fetcher, origin, url, (items) => items.forEach((item) => keep(byKeyId, item)));
  if (!read.ok) return read.failure.status === 400 ? { kind: 'refused' } : unavailable(read.failure);
  return { kind: 'read', byKeyId };
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
