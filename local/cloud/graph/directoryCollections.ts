import type { CloudStore } from '../state/CloudStore.js';
import type { DirectoryObjectIndex, DirectoryObjectRecord } from '../state/DirectoryObjectIndex.js';
import type { TenantDirectory } from '../state/TenantDirectory.js';
import type { DirectoryCollection } from './graphCall.js';
import type { ResourceOptions } from './buildResource.js';
import { applicationProperties, toApplicationResource } from './toApplicationResource.js';
import type { Resource } from './toCredentialResources.js';
import { servicePrincipalProperties, toServicePrincipalResource } from './toServicePrincipalResource.js';

export type DirectoryObject = DirectoryObjectRecord;

/** What the list, delta and single-object routes need to know about each collection. */
export interface CollectionInfo {
  /** Entity type as `$select` errors name it: `microsoft.graph.application`. */
  entityType: string;
  /** Resource name as `$filter` errors name it: `Application`. */
  resourceName: string;
  /** Properties `$select` accepts (the default set, in Graph's order). */
  properties: readonly string[];
  /** Properties `$filter` accepts: eq on all, startswith on displayName. */
  filterable: readonly string[];
}

/** Properties `$select` accepts: the default set Graph v1.0 returns without `$select`, in its order (the builders' tables). */
export const collectionInfo: Record<DirectoryCollection, CollectionInfo> = {
  applications: {
    entityType: 'microsoft.graph.application',
    resourceName: 'Application',
    properties: Object.keys(applicationProperties),
    filterable: ['id', 'appId', 'displayName'],
  },
  servicePrincipals: {
    entityType: 'microsoft.graph.servicePrincipal',
    resourceName: 'ServicePrincipal',
    properties: Object.keys(servicePrincipalProperties),
    // preferredSingleSignOnMode eq 'saml' is how SAML apps are found; Graph supports it.
    filterable: ['id', 'appId', 'displayName', 'preferredSingleSignOnMode'],
  },
};

/** The tenant's index of one collection: lookups by id and app id, id-ordered pages, change-ordered delta. */
export function indexOf(tenant: TenantDirectory, collection: DirectoryCollection): DirectoryObjectIndex<DirectoryObject> {
  return collection === 'applications' ? tenant.applications : tenant.servicePrincipals;
}

/** An application or service principal as Graph returns it, with `$select` applied as it is built. */
export function toResource(store: CloudStore, tenant: TenantDirectory, object: DirectoryObject, options: ResourceOptions = {}): Resource {
  return 'appOwnerOrganizationId' in object
    ? toServicePrincipalResource(object, store, options)
    : toApplicationResource(object, tenant.record, options);
}

/** `@odata.context` of a collection response: `…/$metadata#applications(id,appId)`. */
export function collectionContext(origin: string, collection: DirectoryCollection, select: readonly string[] | undefined): string {
  return `${origin}/v1.0/$metadata#${collection}${select ? `(${select.join(',')})` : ''}`;
}
