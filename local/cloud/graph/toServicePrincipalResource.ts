import type { CloudStore } from '../state/CloudStore.js';
import type { ApplicationRecord, ServicePrincipalRecord } from '../state/model.js';
import { noInfo, noVerifiedPublisher } from './toApplicationResource.js';
import { buildResource, type PropertyGetters, type ResourceOptions } from './buildResource.js';
import { toAppRoleResource, toKeyCredentialResource, toPasswordCredentialResource, type Resource } from './toCredentialResources.js';

interface ServicePrincipalSource {
  sp: ServicePrincipalRecord;
  /** The app registration, when the directory holds it (Microsoft's own apps are registered elsewhere). */
  app: ApplicationRecord | undefined;
  includeKeys: boolean;
}

const signingKey = (sp: ServicePrincipalRecord) => sp.keyCredentials.find((k) => k.usage === 'Sign');

/**
 * A service principal as Graph v1.0 returns it without `$select`: the documented property set
 * (api-reference/v1.0/resources/serviceprincipal.md and the "Get servicePrincipal" example, which
 * shows `publisherName`), plus `preferredTokenSigningKeyEndDateTime`, which the SAML checks select.
 * Its app's display name, identifier URIs and roles come from the app registration when the directory
 * holds it (Microsoft's own apps are registered elsewhere).
 * Each property is read on its own, so a `$select` builds only what it names.
 */
export const servicePrincipalProperties: PropertyGetters<ServicePrincipalSource> = {
  id: ({ sp }) => sp.id,
  deletedDateTime: () => null,
  accountEnabled: ({ sp }) => sp.accountEnabled,
  alternativeNames: () => [],
  appDisplayName: ({ sp, app }) => app?.displayName ?? sp.displayName,
  appDescription: () => null,
  appId: ({ sp }) => sp.appId,
  applicationTemplateId: () => null,
  appOwnerOrganizationId: ({ sp }) => sp.appOwnerOrganizationId,
  appRoleAssignmentRequired: () => false,
  description: () => null,
  disabledByMicrosoftStatus: () => null,
  displayName: ({ sp }) => sp.displayName,
  homepage: () => null,
  loginUrl: () => null,
  logoutUrl: () => null,
  notes: () => null,
  notificationEmailAddresses: () => [],
  preferredSingleSignOnMode: ({ sp }) => sp.preferredSingleSignOnMode,
  preferredTokenSigningKeyEndDateTime: ({ sp }) => sp.preferredTokenSigningKeyEndDateTime,
  preferredTokenSigningKeyThumbprint: ({ sp }) =>
    sp.preferredSingleSignOnMode === 'saml' ? (signingKey(sp)?.customKeyIdentifier ?? null) : null,
  publisherName: ({ sp }) => sp.publisherName,
  replyUrls: () => [],
  servicePrincipalNames: ({ sp, app }) => [sp.appId, ...(app?.identifierUris ?? [])],
  servicePrincipalType: ({ sp }) => sp.servicePrincipalType,
  signInAudience: () => 'AzureADMyOrg',
  tags: () => [],
  tokenEncryptionKeyId: () => null,
  samlSingleSignOnSettings: ({ sp }) => (sp.preferredSingleSignOnMode === 'saml' ? { relayState: null } : null),
  addIns: () => [],
  appRoles: ({ app }) => (app?.appRoles ?? []).map(toAppRoleResource),
  info: () => noInfo,
  keyCredentials: ({ sp, includeKeys }) => sp.keyCredentials.map((c) => toKeyCredentialResource(c, includeKeys)),
  oauth2PermissionScopes: () => [],
  passwordCredentials: ({ sp }) => sp.passwordCredentials.map(toPasswordCredentialResource),
  resourceSpecificApplicationPermissions: () => [],
  verifiedPublisher: () => noVerifiedPublisher,
};

export function toServicePrincipalResource(sp: ServicePrincipalRecord, store: CloudStore, options: ResourceOptions = {}): Resource {
  const app = store.directory.application(sp.appId)?.app;
  return buildResource(servicePrincipalProperties, { sp, app, includeKeys: options.includeKeys ?? false }, options.select);
}
