import type { CloudStore } from '../state/CloudStore.js';
import type { DirectoryObjectIndex, DirectoryObjectRecord } from '../state/DirectoryObjectIndex.js';
import type { TenantDirectory } from '../state/TenantDirectory.js';
import type { DirectoryCollection } from './graphCall.js';
import { toApplicationResource } from './toApplicationResource.js';
import type { Resource } from './toCredentialResources.js';
import { toServicePrincipalResource } from './toServicePrincipalResource.js';

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

/**
 * Properties `$select` accepts: the default set Graph v1.0 returns without `$select`, in its order
 * (toApplicationResource and toServicePrincipalResource build exactly these).
 */
export const collectionInfo: Record<DirectoryCollection, CollectionInfo> = {
  applications: {
    entityType: 'microsoft.graph.application',
    resourceName: 'Application',
    properties: [
      'id',
      'deletedDateTime',
      'appId',
      'applicationTemplateId',
      'disabledByMicrosoftStatus',
      'createdDateTime',
      'displayName',
      'description',
      'groupMembershipClaims',
      'identifierUris',
      'isDeviceOnlyAuthSupported',
      'isFallbackPublicClient',
      'nativeAuthenticationApisEnabled',
      'notes',
      'publisherDomain',
      'serviceManagementReference',
      'signInAudience',
      'tags',
      'tokenEncryptionKeyId',
      'samlMetadataUrl',
      'defaultRedirectUri',
      'certification',
      'optionalClaims',
      'servicePrincipalLockConfiguration',
      'requestSignatureVerification',
      'addIns',
      'api',
      'appRoles',
      'info',
      'keyCredentials',
      'parentalControlSettings',
      'passwordCredentials',
      'publicClient',
      'requiredResourceAccess',
      'verifiedPublisher',
      'web',
      'spa',
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
      'alternativeNames',
      'appDisplayName',
      'appDescription',
      'appId',
      'applicationTemplateId',
      'appOwnerOrganizationId',
      'appRoleAssignmentRequired',
      'description',
      'disabledByMicrosoftStatus',
      'displayName',
      'homepage',
      'loginUrl',
      'logoutUrl',
      'notes',
      'notificationEmailAddresses',
      'preferredSingleSignOnMode',
      'preferredTokenSigningKeyEndDateTime',
      'preferredTokenSigningKeyThumbprint',
      'publisherName',
      'replyUrls',
      'servicePrincipalNames',
      'servicePrincipalType',
      'signInAudience',
      'tags',
      'tokenEncryptionKeyId',
      'samlSingleSignOnSettings',
      'addIns',
      'appRoles',
      'info',
      'keyCredentials',
      'oauth2PermissionScopes',
      'passwordCredentials',
      'resourceSpecificApplicationPermissions',
      'verifiedPublisher',
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
