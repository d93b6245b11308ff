import { isDeleted, type IndexPage } from '../state/DirectoryObjectIndex.js';
import { collectionContext, indexOf, toResource, type DirectoryObject } from './directoryCollections.js';
import type { DirectoryCollection, GraphCall } from './graphCall.js';
import { directoryReadPermissions, hasAny } from './graphPermissions.js';
import { forbidden, graphError, graphJson } from './graphResponses.js';
import { encodePageToken, type DeltaLinkToken, type DeltaPageToken } from './pageTokens.js';
import { resolveDeltaRound } from './resolveDeltaRound.js';
import type { Resource } from './toCredentialResources.js';

/**
 * `GET /applications/delta` (and `/servicePrincipals/delta`): pages with `@odata.nextLink` until the last,
 * which carries `@odata.deltaLink`; a later call with it returns only what changed since, deleted
 * applications as `{"id", "@removed": {"reason": "changed"}}`.
 */
export function directoryDelta(call: GraphCall, collection: DirectoryCollection): Response {
  const { ids } = call;
  if (!hasAny(call.caller, directoryReadPermissions)) return forbidden(ids);
  const round = resolveDeltaRound(call, collection);
  if (!round.ok) {
    const location: Record<string, string> = 'location' in round && round.location ? { location: round.location } : {};
    return graphError(ids, round.status, round.code, round.message, location);
  }
  const { position, latestOnly } = round.value;
  const page = latestOnly ? { items: [], more: false } : changedObjects(call, collection, position);
  const base = `${call.origin}/v1.0/${collection}/delta`;
  const body: Record<string, unknown> = { '@odata.context': collectionContext(call.origin, collection, position.sel) };
  const last = page.items.at(-1);
  if (page.more && last) {
    body['@odata.nextLink'] = `${base}?$skiptoken=${encodePageToken({ ...position, afterSeq: last.changeSeq })}`;
  } else {
    const { since: _since, upTo, afterSeq: _after, k: _kind, ...scope } = position;
    const link: DeltaLinkToken = { ...scope, k: 'deltaLink', seq: upTo, at: call.ctx.store.now().getTime() };
    body['@odata.deltaLink'] = `${base}?$deltatoken=${encodePageToken(link)}`;
  }
  body['value'] = page.items.map((o) => toDeltaResource(call, o, position.sel));
  const preference = call.headers.get('prefer')?.includes('odata.maxpagesize')
    ? { 'preference-applied': `odata.maxpagesize=${position.size}` }
    : {};
  return graphJson(ids, 200, body, preference);
}

function changedObjects(call: GraphCall, collection: DirectoryCollection, p: DeltaPageToken): IndexPage<DirectoryObject> {
  return indexOf(call.tenant, collection).changes({
    since: p.since,
    upTo: p.upTo,
    afterSeq: p.afterSeq,
    limit: p.size,
    ids: p.ids,
    // The first round reports every object that exists, whatever its change number.
    skipDeleted: p.since < 0,
  });
}

function toDeltaResource(call: GraphCall, object: DirectoryObject, select: string[] | undefined): Resource {
  if (isDeleted(object)) return { id: object.id, '@removed': { reason: 'changed' } };
  return toResource(call.ctx.store, call.tenant, object, { select });
}
