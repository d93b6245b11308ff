import { collectionContext, collectionInfo, indexOf, toResource } from './directoryCollections.js';
import type { DirectoryCollection, GraphCall, ObjectKey } from './graphCall.js';
import { directoryReadPermissions, hasAny } from './graphPermissions.js';
import {
  correlationHeaders,
  failure,
  forbidden,
  fromFailure,
  graphError,
  graphJson,
  resourceNotFound,
  type GraphFailure,
} from './graphResponses.js';
import { matchesFilter, parseFilter, parseSelect, parseTop, rejectOptions, type FilterClause } from './odataQuery.js';
import { decodePageToken, encodePageToken, listTokenSchema, toQueryString } from './pageTokens.js';
import { toOwnerResource } from './toDirectoryResources.js';
import type { DirectoryObject } from './directoryCollections.js';

/** `federatedIdentityCredentials/$count ne 0` (or `eq 0`): an advanced query on applications (aad-advanced-queries). */
const federatedCount = /^\s*federatedIdentityCredentials\/\$count\s+(ne|eq)\s+0\s*$/i;
/** `$expand=owners` or `owners($select=…)`. */
const ownersExpand = /^\s*owners(?:\(\s*\$select=([A-Za-z,\s]+)\))?\s*$/i;
/**
 * Graph's known issues (query parameters): a list with `$expand` on directory objects returns at most 100
 * objects a page whatever `$top` asks, and each object at most 20 of the expanded relationship, with no
 * next link for the rest.
 */
export const expandedPageSize = 100;
export const expandedItems = 20;

/**
 * `GET /applications` and `GET /servicePrincipals` with `$select`, `$top`, `$filter` and `$skiptoken`
 * paging. Pages continue after the last id, so objects added or removed between pages shift nothing;
 * the tenant's index finds where in O(log n), and only the page's objects become resources.
 */
export function listDirectoryObjects(call: GraphCall, collection: DirectoryCollection): Response {
  const { ids, query } = call;
  if (!hasAny(call.caller, directoryReadPermissions)) return forbidden(ids);
  const info = collectionInfo[collection];
  const federated = collection === 'applications' ? federatedCount.exec(query.get('$filter') ?? '') : null;
  const unsupported = rejectOptions(query, ['$orderby', '$search', '$skip', ...(federated ? [] : ['$count'])]);
  if (unsupported) return fromFailure(ids, unsupported);
  const select = parseSelect(query.get('$select'), info);
  if (!select.ok) return fromFailure(ids, select);
  const top = parseTop(query.get('$top'));
  if (!top.ok) return fromFailure(ids, top);
  const expand = parseExpand(query.get('$expand'));
  if (!expand.ok) return fromFailure(ids, expand);
  if (federated && (query.get('$count') !== 'true' || call.headers.get('consistencylevel')?.toLowerCase() !== 'eventual'))
    return graphError(
      ids,
      400,
      'Request_UnsupportedQuery',
      "Operator 'ne' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header.",
    );
  const filter = federated ? { ok: true as const, value: undefined } : parseFilter(query.get('$filter'), info);
  if (!filter.ok) return fromFailure(ids, filter);
  const hasFederated = (o: DirectoryObject) =>
    !federated ||
    ('federatedIdentityCredentials' in o && o.federatedIdentityCredentials.length > 0 === (federated[1]!.toLowerCase() === 'ne'));

  let after = '';
  const skipToken = query.get('$skiptoken');
  if (skipToken !== null) {
    const token = decodePageToken(skipToken, listTokenSchema);
    if (!token || token.c !== collection || token.t !== call.tenant.id) {
      return graphError(
        ids,
        400,
        'Directory_ExpiredPageToken',
        'The specified page token value has expired and can no longer be included in your request.',
      );
    }
    after = token.after;
  }

  const index = indexOf(call.tenant, collection);
  const keys = toObjectKeys(filter.value);
  const page = keys
    ? index.pageOfKeys(keys, after, top.value)
    : index.page(
        after,
        expand.value ? Math.min(top.value, expandedPageSize) : top.value,
        (o) => matchesFilter(o, filter.value) && hasFederated(o),
      );
  const body: Record<string, unknown> = { '@odata.context': collectionContext(call.origin, collection, select.value) };
  const last = page.items.at(-1);
  if (page.more && last) {
    const next = encodePageToken({ k: 'list', c: collection, t: call.tenant.id, after: last.id });
    const kept = [...query.entries()].filter(([name]) => name !== '$skiptoken');
    body['@odata.nextLink'] = `${call.origin}/v1.0/${collection}?${toQueryString([...kept, ['$skiptoken', next]])}`;
  }
  if (federated) body['@odata.count'] = index.all().filter((o) => !('deleted' in o && o.deleted) && hasFederated(o)).length;
  const expanded = expand.value;
  body['value'] = page.items.map((o) => {
    const resource = toResource(call.ctx.store, call.tenant, o, { select: select.value });
    if (!expanded) return resource;
    const owners = o.ownerIds
      .slice(0, expandedItems)
      .map((id) => toOwnerResource(call.ctx.store, call.tenant, id))
      .filter((owner): owner is Record<string, unknown> => owner !== undefined);
    return { ...resource, owners: owners.map((owner) => pickOwner(owner, expanded)) };
  });
  return graphJson(ids, 200, body);
}

/**
 * `GET /applications/$count` (or servicePrincipals): the number of objects as plain text. On directory
 * objects `$count` is an advanced query, so it needs `ConsistencyLevel: eventual` (aad-advanced-queries).
 */
export function countDirectoryObjects(call: GraphCall, collection: DirectoryCollection): Response {
  const { ids } = call;
  if (!hasAny(call.caller, directoryReadPermissions)) return forbidden(ids);
  if (call.headers.get('consistencylevel')?.toLowerCase() !== 'eventual')
    return graphError(ids, 400, 'Request_BadRequest', '$count is not currently supported.');
  const count = indexOf(call.tenant, collection)
    .all()
    .filter((o) => !('deleted' in o && o.deleted)).length;
  return new Response(String(count), { status: 200, headers: { ...correlationHeaders(ids), 'content-type': 'text/plain' } });
}

/** `$expand=owners` with an optional nested `$select`; any other expansion is refused, not ignored. */
function parseExpand(raw: string | null): { ok: true; value: string[] | 'all' | undefined } | GraphFailure {
  if (raw === null) return { ok: true, value: undefined };
  const match = ownersExpand.exec(raw);
  if (!match) return failure(400, 'Request_UnsupportedQuery', `The local cloud does not emulate the expansion '${raw}'.`);
  return {
    ok: true,
    value: match[1]
      ? match[1]
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : 'all',
  };
}

function pickOwner(owner: Record<string, unknown>, select: string[] | 'all'): Record<string, unknown> {
  if (select === 'all') return owner;
  return Object.fromEntries(['@odata.type', 'id', ...select].filter((n) => n in owner).map((n) => [n, owner[n]]));
}

/** `GET /applications/{id}/federatedIdentityCredentials` (application-list-federatedidentitycredentials). */
export function listFederatedCredentials(call: GraphCall, key: ObjectKey): Response {
  if (!hasAny(call.caller, directoryReadPermissions)) return forbidden(call.ids);
  const app = call.tenant.applications.find(key);
  if (!app) return resourceNotFound(call.ids, key.value);
  return graphJson(call.ids, 200, {
    '@odata.context': `${call.origin}/v1.0/$metadata#applications('${app.id}')/federatedIdentityCredentials`,
    value: app.federatedIdentityCredentials.map((f) => ({
      id: f.id,
      name: f.name,
      issuer: f.issuer,
      subject: f.subject,
      description: f.description,
      audiences: f.audiences,
    })),
  });
}

/** A filter made only of `id eq` and `appId eq` clauses is answered from the index; any other needs a walk. */
function toObjectKeys(clauses: readonly FilterClause[] | undefined): ObjectKey[] | undefined {
  if (!clauses?.every((c) => c.operator === 'eq' && (c.property === 'id' || c.property === 'appId'))) return undefined;
  return clauses.map((c) => ({ by: c.property === 'id' ? 'id' : 'appId', value: c.value }));
}
