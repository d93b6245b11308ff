import type { CloudStore } from '../state/CloudStore.js';
import type { TenantDirectory } from '../state/TenantDirectory.js';
import type { GraphCaller } from './graphCall.js';

/** Application permissions that allow reading applications and service principals (Graph permission includes). */
export const directoryReadPermissions = [
  'Application.Read.All',
  'Application.ReadWrite.OwnedBy',
  'Application.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];

/** Permissions that allow addPassword/removePassword on any application. */
export const directoryWriteAllPermissions = ['Application.ReadWrite.All', 'Directory.ReadWrite.All'];

/** Allows addPassword/removePassword only on applications and service principals the caller owns. */
export const ownedByPermission = 'Application.ReadWrite.OwnedBy';

export function hasAny(caller: GraphCaller, permissions: readonly string[]): boolean {
  return permissions.some((p) => caller.permissions.has(p));
}

export type WriteAccess = 'all' | 'ownedBy' | 'none';

export function writeAccess(caller: GraphCaller): WriteAccess {
  if (hasAny(caller, directoryWriteAllPermissions)) return 'all';
  return caller.permissions.has(ownedByPermission) ? 'ownedBy' : 'none';
}

/**
 * Whether the caller owns an object. Entra records a service principal as owner; the local seed records
 * the owning app's application object id, so either id (and the token's `oid`) counts.
 */
export function isOwner(store: CloudStore, tenant: TenantDirectory, caller: GraphCaller, ownerIds: readonly string[]): boolean {
  const ids = new Set([caller.objectId]);
  const sp = tenant.servicePrincipalOf(caller.appId);
  if (sp) ids.add(sp.id);
  const home = store.directory.application(caller.appId);
  if (home) ids.add(home.app.id);
  return ownerIds.some((id) => ids.has(id));
}
