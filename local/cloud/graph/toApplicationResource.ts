import type { ApplicationRecord, TenantRecord } from '../state/model.js';
import { toAppRoleResource, toKeyCredentialResource, toPasswordCredentialResource, type Resource } from './toCredentialResources.js';
import { buildResource, type PropertyGetters, type ResourceOptions } from './buildResource.js';

const noInfo = { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null };
const noVerifiedPublisher = { displayName: null, verifiedPublisherId: null, addedDateTime: null };
export { noInfo, noVerifiedPublisher };

interface ApplicationSource {
  app: ApplicationRecord;
  tenant: TenantRecord;
  includeKeys: boolean;
}

/**
 * An application as Graph v1.0 returns it without `$select`: the documented default property set
 * (microsoft-graph-docs-contrib api-reference/v1.0/resources/application.md, "JSON representation",
 * less the `logo` stream), in the order Graph sends them. What the model does not keep has its
 * value for an app registered in the portal with no further setup.
 * Each property is read on its own, so a `$select` builds only what it names.
 */
export const applicationProperties: PropertyGetters<ApplicationSource> = {
  id: ({ app }) => app.id,
  deletedDateTime: () => null,
  appId: ({ app }) => app.appId,
  applicationTemplateId: () => null,
  disabledByMicrosoftStatus: ({ app }) => (app.disabled ? 'DisabledDueToViolationOfServicesAgreement' : null),
  createdDateTime: ({ app }) => app.createdDateTime,
  displayName: ({ app }) => app.displayName,
  description: () => null,
  groupMembershipClaims: () => null,
  identifierUris: ({ app }) => app.identifierUris,
  isDeviceOnlyAuthSupported: () => null,
  isFallbackPublicClient: () => null,
  nativeAuthenticationApisEnabled: () => null,
  notes: () => null,
  publisherDomain: ({ tenant }) => tenant.defaultDomain,
  serviceManagementReference: () => null,
  signInAudience: () => 'AzureADMyOrg',
  tags: () => [],
  tokenEncryptionKeyId: () => null,
  samlMetadataUrl: () => null,
  defaultRedirectUri: () => null,
  certification: () => null,
  optionalClaims: () => null,
  // Apps registered since March 2024 have the app instance property lock on by default.
  servicePrincipalLockConfiguration: () => ({
    isEnabled: true,
    allProperties: true,
    credentialsWithUsageVerify: true,
    credentialsWithUsageSign: true,
    identifierUris: false,
    tokenEncryptionKeyId: true,
  }),
  requestSignatureVerification: () => null,
  addIns: () => [],
  api: () => ({
    acceptMappedClaims: null,
    knownClientApplications: [],
    requestedAccessTokenVersion: null,
    oauth2PermissionScopes: [],
    preAuthorizedApplications: [],
  }),
  appRoles: ({ app }) => app.appRoles.map(toAppRoleResource),
  info: () => noInfo,
  keyCredentials: ({ app, includeKeys }) => app.keyCredentials.map((c) => toKeyCredentialResource(c, includeKeys)),
  parentalControlSettings: () => ({ countriesBlockedForMinors: [], legalAgeGroupRule: 'Allow' }),
  passwordCredentials: ({ app }) => app.passwordCredentials.map(toPasswordCredentialResource),
  publicClient: () => ({ redirectUris: [] }),
  requiredResourceAccess: () => [],
  verifiedPublisher: () => noVerifiedPublisher,
  web: ({ app }) => ({
    homePageUrl: null,
    logoutUrl: null,
    redirectUris: app.webRedirectUris,
    implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false },
    // Graph lists each redirect URI again with its (unset) index.
    redirectUriSettings: app.webRedirectUris.map((uri) => ({ uri, index: null })),
  }),
  spa: () => ({ redirectUris: [] }),
};

export function toApplicationResource(app: ApplicationRecord, tenant: TenantRecord, options: ResourceOptions = {}): Resource {
  return buildResource(applicationProperties, { app, tenant, includeKeys: options.includeKeys ?? false }, options.select);
}
