import type { CloudStore } from '../state/CloudStore.js';
import type { ServicePrincipalRecord } from '../state/model.js';
import { noInfo, noVerifiedPublisher } from './toApplicationResource.js';
import { toAppRoleResource, toKeyCredentialResource, toPasswordCredentialResource, type Resource } from './toCredentialResources.js';

/**
 * A service principal as Graph v1.0 returns it without `$select`: the documented property set
 * (api-reference/v1.0/resources/serviceprincipal.md and the "Get servicePrincipal" example, which
 * shows `publisherName`), plus `preferredTokenSigningKeyEndDateTime`, which the SAML checks select.
 * Its app's display name, identifier URIs and roles come from the app registration when the directory
 * holds it (Microsoft's own apps are registered elsewhere).
 */
export function toServicePrincipalResource(sp: ServicePrincipalRecord, store: CloudStore, includeKeys = false): Resource {
  const app = store.directory.application(sp.appId)?.app;
  const signing = sp.keyCredentials.find((k) => k.usage === 'Sign');
  return {
    id: sp.id,
    deletedDateTime: null,
    accountEnabled: sp.accountEnabled,
    alternativeNames: [],
    appDisplayName: app?.displayName ?? sp.displayName,
    appDescription: null,
    appId: sp.appId,
    applicationTemplateId: null,
    appOwnerOrganizationId: sp.appOwnerOrganizationId,
    appRoleAssignmentRequired: false,
    description: null,
    disabledByMicrosoftStatus: null,
    displayName: sp.displayName,
    homepage: null,
    loginUrl: null,
    logoutUrl: null,
    notes: null,
    notificationEmailAddresses: [],
    preferredSingleSignOnMode: sp.preferredSingleSignOnMode,
    preferredTokenSigningKeyEndDateTime: sp.preferredTokenSigningKeyEndDateTime,
    preferredTokenSigningKeyThumbprint: sp.preferredSingleSignOnMode === 'saml' && signing ? signing.customKeyIdentifier : null,
    publisherName: sp.publisherName,
    replyUrls: [],
    servicePrincipalNames: [sp.appId, ...(app?.identifierUris ?? [])],
    servicePrincipalType: sp.servicePrincipalType,
    signInAudience: 'AzureADMyOrg',
    tags: [],
    tokenEncryptionKeyId: null,
    samlSingleSignOnSettings: sp.preferredSingleSignOnMode === 'saml' ? { relayState: null } : null,
    addIns: [],
    appRoles: (app?.appRoles ?? []).map(toAppRoleResource),
    info: noInfo,
    keyCredentials: sp.keyCredentials.map((c) => toKeyCredentialResource(c, includeKeys)),
    oauth2PermissionScopes: [],
    passwordCredentials: sp.passwordCredentials.map(toPasswordCredentialResource),
    resourceSpecificApplicationPermissions: [],
    verifiedPublisher: noVerifiedPublisher,
  };
}
