import { collectionContext, collectionInfo, indexOf, toResource } from './directoryCollections.js';
import type { DirectoryCollection, GraphCall, ObjectKey } from './graphCall.js';
import { directoryReadPermissions, hasAny } from './graphPermissions.js';
import { forbidden, fromFailure, graphError, graphJson } from './graphResponses.js';
import { matchesFilter, parseFilter, parseSelect, parseTop, rejectOptions, type FilterClause } from './odataQuery.js';
import { decodePageToken, encodePageToken, listTokenSchema, toQueryString } from './pageTokens.js';

/**
 * `GET /applications` and `GET /servicePrincipals` with `$select`, `$top`, `$filter` and `$skiptoken`
 * paging. Pages continue after the last id, so objects added or removed between pages shift nothing;
 * the tenant's index finds where in O(log n), and only the page's objects become resources.
 */
export function listDirectoryObjects(call: GraphCall, collection: DirectoryCollection): Response {
  const { ids, query } = call;
  if (!hasAny(call.caller, directoryReadPermissions)) return forbidden(ids);
  const info = collectionInfo[collection];
  const unsupported = rejectOptions(query, ['$orderby', '$expand', '$search', '$count', '$skip']);
  if (unsupported) return fromFailure(ids, unsupported);
  const select = parseSelect(query.get('$select'), info);
  if (!select.ok) return fromFailure(ids, select);
  const top = parseTop(query.get('$top'));
  if (!top.ok) return fromFailure(ids, top);
  const filter = parseFilter(query.get('$filter'), info);
  if (!filter.ok) return fromFailure(ids, filter);

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
  const page = keys ? index.pageOfKeys(keys, after, top.value) : index.page(after, top.value, (o) => matchesFilter(o, filter.value));
  const body: Record<string, unknown> = { '@odata.context': collectionContext(call.origin, collection, select.value) };
  const last = page.items.at(-1);
  if (page.more && last) {
    const next = encodePageToken({ k: 'list', c: collection, t: call.tenant.id, after: last.id });
    const kept = [...query.entries()].filter(([name]) => name !== '$skiptoken');
    body['@odata.nextLink'] = `${call.origin}/v1.0/${collection}?${toQueryString([...kept, ['$skiptoken', next]])}`;
  }
  body['value'] = page.items.map((o) => toResource(call.ctx.store, call.tenant, o, { select: select.value }));
  return graphJson(ids, 200, body);
}

/** A filter made only of `id eq` and `appId eq` clauses is answered from the index; any other needs a walk. */
function toObjectKeys(clauses: readonly FilterClause[] | undefined): ObjectKey[] | undefined {
  if (!clauses?.every((c) => c.operator === 'eq' && (c.property === 'id' || c.property === 'appId'))) return undefined;
  return clauses.map((c) => ({ by: c.property === 'id' ? 'id' : 'appId', value: c.value }));
}
