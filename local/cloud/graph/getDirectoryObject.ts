import { collectionContext, collectionInfo, indexOf, toResource } from './directoryCollections.js';
import type { DirectoryCollection, GraphCall, ObjectKey } from './graphCall.js';
import { directoryReadPermissions, hasAny } from './graphPermissions.js';
import { forbidden, fromFailure, graphJson, resourceNotFound } from './graphResponses.js';
import { parseSelect, rejectOptions } from './odataQuery.js';
import { toOwnerResource } from './toDirectoryResources.js';

/** `GET /applications/{id}`, `GET /applications(appId='…')` and the same for service principals. */
export function getDirectoryObject(call: GraphCall, collection: DirectoryCollection, key: ObjectKey): Response {
  const { ids, query } = call;
  if (!hasAny(call.caller, directoryReadPermissions)) return forbidden(ids);
  const unsupported = rejectOptions(query, ['$expand']);
  if (unsupported) return fromFailure(ids, unsupported);
  const select = parseSelect(query.get('$select'), collectionInfo[collection]);
  if (!select.ok) return fromFailure(ids, select);
  const object = indexOf(call.tenant, collection).find(key);
  if (!object) return resourceNotFound(ids, key.value);
  // A certificate's public key is shown only for one object read with $select=keyCredentials.
  const includeKeys = select.value?.includes('keyCredentials') ?? false;
  const resource = toResource(call.ctx.store, call.tenant, object, { includeKeys, select: select.value });
  return graphJson(ids, 200, { '@odata.context': `${collectionContext(call.origin, collection, select.value)}/$entity`, ...resource });
}

/** `GET /applications/{id}/owners`: users and service principals, as `directoryObject`s with their `@odata.type`. */
export function listOwners(call: GraphCall, collection: DirectoryCollection, key: ObjectKey): Response {
  const { ids } = call;
  if (!hasAny(call.caller, directoryReadPermissions)) return forbidden(ids);
  const object = indexOf(call.tenant, collection).find(key);
  if (!object) return resourceNotFound(ids, key.value);
  const value = object.ownerIds.flatMap((id) => toOwnerResource(call.ctx.store, call.tenant, id) ?? []);
  return graphJson(ids, 200, { '@odata.context': `${call.origin}/v1.0/$metadata#directoryObjects`, value });
}
