import type { CloudStore } from '../state/CloudStore.js';
import type { DirectoryObjectIndex, DirectoryObjectRecord } from '../state/DirectoryObjectIndex.js';
import type { TenantDirectory } from '../state/TenantDirectory.js';
import type { DirectoryCollection } from './graphCall.js';
import { toApplicationResource, toServicePrincipalResource, type Resource } from './toDirectoryResources.js';

export type DirectoryObject = DirectoryObjectRecord;

/** What the list, delta and single-object routes need to know about each collection. */
export interface CollectionInfo {
  /** Entity type as `$select` errors name it: `microsoft.graph.application`. */
  entityType: string;
  /** Resource name as `$filter` errors name it: `Application`. */
  resourceName: string;
  /** Properties `$select` accepts (the default set). */
  properties: readonly string[];
  /** Properties `$filter` accepts: eq on all, startswith on displayName. */
  filterable: readonly string[];
}

const credentialProperties = ['keyCredentials', 'passwordCredentials'];

export const collectionInfo: Record<DirectoryCollection, CollectionInfo> = {
  applications: {
    entityType: 'microsoft.graph.application',
    resourceName: 'Application',
    properties: [
      'id',
      'deletedDateTime',
      'appId',
      'applicationTemplateId',
      'createdDateTime',
      'description',
      'disabledByMicrosoftStatus',
      'displayName',
      'identifierUris',
      'publisherDomain',
      'signInAudience',
      'tags',
      'appRoles',
      ...credentialProperties,
    ],
    filterable: ['id', 'appId', 'displayName'],
  },
  servicePrincipals: {
    entityType: 'microsoft.graph.servicePrincipal',
    resourceName: 'ServicePrincipal',
    properties: [
      'id',
      'deletedDateTime',
      'accountEnabled',
      'appDisplayName',
      'appId',
      'appOwnerOrganizationId',
      'appRoleAssignmentRequired',
      'displayName',
      'preferredSingleSignOnMode',
      'preferredTokenSigningKeyEndDateTime',
      'servicePrincipalNames',
      'servicePrincipalType',
      'signInAudience',
      'tags',
      ...credentialProperties,
    ],
    // preferredSingleSignOnMode eq 'saml' is how SAML apps are found; Graph supports it.
    filterable: ['id', 'appId', 'displayName', 'preferredSingleSignOnMode'],
  },
};

/** The tenant's index of one collection: lookups by id and app id, id-ordered pages, change-ordered delta. */
export function indexOf(tenant: TenantDirectory, collection: DirectoryCollection): DirectoryObjectIndex<DirectoryObject> {
  return collection === 'applications' ? tenant.applications : tenant.servicePrincipals;
}

export function toResource(store: CloudStore, tenant: TenantDirectory, object: DirectoryObject, includeKeys = false): Resource {
  return 'appOwnerOrganizationId' in object
    ? toServicePrincipalResource(object, store, includeKeys)
    : toApplicationResource(object, tenant.record, includeKeys);
}

/** `@odata.context` of a collection response: `…/$metadata#applications(id,appId)`. */
export function collectionContext(origin: string, collection: DirectoryCollection, select: readonly string[] | undefined): string {
  return `${origin}/v1.0/$metadata#${collection}${select ? `(${select.join(',')})` : ''}`;
}
