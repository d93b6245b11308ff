import type { CloudStore } from '../state/CloudStore.js';
import type { ApplicationRecord, ServicePrincipalRecord, TenantRecord } from '../state/model.js';
import type { DirectoryCollection, ObjectKey } from './graphCall.js';
import { toApplicationResource, toServicePrincipalResource, type Resource } from './toDirectoryResources.js';

export type DirectoryObject = ApplicationRecord | ServicePrincipalRecord;

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
      'web',
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

/** All objects of a collection in a tenant, deleted applications included (delta reports them), sorted by id for stable paging. */
export function allObjects(tenant: TenantRecord, collection: DirectoryCollection): DirectoryObject[] {
  const objects: DirectoryObject[] = collection === 'applications' ? [...tenant.applications] : [...tenant.servicePrincipals];
  return objects.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function isDeleted(object: DirectoryObject): boolean {
  return 'deleted' in object && object.deleted;
}

export function findObject(tenant: TenantRecord, collection: DirectoryCollection, key: ObjectKey): DirectoryObject | undefined {
  const wanted = key.value.toLowerCase();
  const objects: DirectoryObject[] = collection === 'applications' ? tenant.applications : tenant.servicePrincipals;
  return objects.find((o) => !isDeleted(o) && (key.by === 'id' ? o.id : o.appId).toLowerCase() === wanted);
}

export function toResource(store: CloudStore, tenant: TenantRecord, object: DirectoryObject, includeKeys = false): Resource {
  return 'appOwnerOrganizationId' in object
    ? toServicePrincipalResource(object, store, includeKeys)
    : toApplicationResource(object, tenant, includeKeys);
}

/** `@odata.context` of a collection response: `…/$metadata#applications(id,appId)`. */
export function collectionContext(origin: string, collection: DirectoryCollection, select: readonly string[] | undefined): string {
  return `${origin}/v1.0/$metadata#${collection}${select ? `(${select.join(',')})` : ''}`;
}
