import { chunksOf } from '../../helpers/chunksOf.js';
import { z } from 'zod';
import { appsPerExpandedPage, appsPerFilteredRequest } from '../../intelligence/evidenceReads.js';
import type { PageFetcher } from './createPageFetcher.js';
import { eachAtOnce, odataQuery, readPages, visitPages } from './readPages.js';

const ownedSchema = z.object({
  id: z.string(),
  owners: z
    .array(z.object({ '@odata.type': z.string().optional(), mail: z.string().nullish(), userPrincipalName: z.string().nullish() }))
    .nullish(),
});

/**
 * The people who own some applications (`$filter=id in (…)&$expand=owners`, 15 apps a request): their
 * mail address, else their user principal name. Apps owning apps (Vigil owns those it rotates) are not
 * people to ask. Undefined when Graph refused: the owners are then unknown, not none.
 */
export async function readOwners(
  fetcher: PageFetcher,
  origin: string,
  objectIds: readonly string[],
): Promise<Map<string, string[]> | undefined> {
  const owners = new Map<string, string[]>();
  // Each request stands alone: a few at once, so a scan's last page of findings waits one round trip, not one per 15 apps.
  const reads = await eachAtOnce(chunksOf(objectIds, appsPerFilteredRequest), (chunk) => {
    const query = odataQuery({ $filter: `id in (${chunk.map((id) => `'${id}'`).join(',')})`, $select: 'id', $expand: ownersExpansion });
    return readPages(fetcher, origin, `${origin}/v1.0/applications?${query}`);
  });
  for (const read of reads) {
    if (!read.ok) return undefined;
    keepOwners(owners, read.items);
  }
  return owners;
}

/**
 * The people who own each application of the tenant, listing them all with `$expand=owners` (100 a page,
 * Graph's limit with `$expand`): cheaper than `readOwners` when many of the tenant's apps are asked about.
 * Only apps with people among their owners are kept; the others own nobody to ask. Undefined when refused.
 */
export async function readAllOwners(fetcher: PageFetcher, origin: string): Promise<Map<string, string[]> | undefined> {
  const query = odataQuery({ $select: 'id', $expand: ownersExpansion, $top: String(appsPerExpandedPage) });
  const owners = new Map<string, string[]>();
  const read = await visitPages(fetcher, origin, `${origin}/v1.0/applications?${query}`, (items) => keepOwners(owners, items, true));
  return read.ok ? owners : undefined;
}

const ownersExpansion = 'owners($select=id,mail,userPrincipalName)';

function keepOwners(owners: Map<string, string[]>, items: readonly unknown[], peopleOnly = false): void {
  for (const item of items) {
    const app = ownedSchema.safeParse(item);
    if (!app.success) continue;
    const people = (app.data.owners ?? []).filter((o) => o['@odata.type'] === '#microsoft.graph.user');
    const addresses = [...new Set(people.flatMap((o) => o.mail ?? o.userPrincipalName ?? []))];
    if (!peopleOnly || addresses.length > 0) owners.set(app.data.id.toLowerCase(), addresses);
  }
}

/**
 * How many applications the tenant has (`GET /applications/$count`, an advanced query: it needs
 * `ConsistencyLevel: eventual`), or undefined when Graph would not say.
 */
export async function countApplications(fetcher: PageFetcher, origin: string): Promise<number | undefined> {
  const result = await fetcher.get(`${origin}/v1.0/applications/$count`, { ConsistencyLevel: 'eventual' });
  if (result.kind !== 'ok') return undefined;
  const count = Number(typeof result.body === 'string' ? result.body.trim() : result.body);
  return Number.isInteger(count) && count >= 0 ? count : undefined;
}

/**
 * Object ids of the tenant's applications that have a federated identity credential, in one request per
 * 999 of them: `$filter=federatedIdentityCredentials/$count ne 0` is an advanced query, so it needs
 * `$count=true` and `ConsistencyLevel: eventual` (learn.microsoft.com/graph/aad-advanced-queries).
 */
export async function readFederatedApps(
  fetcher: PageFetcher,
  origin: string,
): Promise<{ ok: true; ids: Set<string> } | { ok: false; reason: string }> {
  const query = odataQuery({ $filter: 'federatedIdentityCredentials/$count ne 0', $count: 'true', $select: 'id', $top: '999' });
  const read = await readPages(fetcher, origin, `${origin}/v1.0/applications?${query}`, { ConsistencyLevel: 'eventual' });
  if (!read.ok) return { ok: false, reason: read.failure.reason };
  const ids = new Set<string>();
  for (const item of read.items) {
    const parsed = z.object({ id: z.string() }).safeParse(item);
    if (parsed.success) ids.add(parsed.data.id.toLowerCase());
  }
  return { ok: true, ids };
}
