import { z } from 'zod';
import type { PageFetcher } from './createPageFetcher.js';
import { odataQuery, readPages } from './readPages.js';

/** Graph's default limit on the values of one `in` expression. */
export const objectIdsPerOwnersRequest = 15;

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
  for (let at = 0; at < objectIds.length; at += objectIdsPerOwnersRequest) {
    const ids = objectIds.slice(at, at + objectIdsPerOwnersRequest).map((id) => `'${id}'`);
    const query = odataQuery({
      $filter: `id in (${ids.join(',')})`,
      $select: 'id',
      $expand: 'owners($select=id,mail,userPrincipalName)',
    });
    const read = await readPages(fetcher, origin, `${origin}/v1.0/applications?${query}`);
    if (!read.ok) return undefined;
    for (const item of read.items) {
      const app = ownedSchema.safeParse(item);
      if (!app.success) continue;
      const people = (app.data.owners ?? []).filter((o) => o['@odata.type'] === '#microsoft.graph.user');
      owners.set(app.data.id.toLowerCase(), [...new Set(people.flatMap((o) => o.mail ?? o.userPrincipalName ?? []))]);
    }
  }
  return owners;
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
