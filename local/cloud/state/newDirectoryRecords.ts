import type { ApplicationRecord, ServicePrincipalRecord, TenantRecord, UserRecord } from './model.js';

/**
 * Directory records with Entra's defaults for everything the caller does not say. Seeding, the admin
 * API and benchmarks build records here, so a field added to the model gets its default in one place.
 */
export function newApplicationRecord(
  fields: Pick<ApplicationRecord, 'id' | 'appId' | 'displayName' | 'createdDateTime'> & Partial<ApplicationRecord>,
): ApplicationRecord {
  return {
    identifierUris: [],
    appRoles: [],
    passwordCredentials: [],
    keyCredentials: [],
    federatedIdentityCredentials: [],
    ownerIds: [],
    disabled: false,
    changeSeq: 0,
    deleted: false,
    webRedirectUris: [],
    ...fields,
  };
}

export function newServicePrincipalRecord(
  fields: Pick<ServicePrincipalRecord, 'id' | 'appId' | 'displayName' | 'appOwnerOrganizationId'> & Partial<ServicePrincipalRecord>,
): ServicePrincipalRecord {
  return {
    publisherName: null,
    servicePrincipalType: 'Application',
    accountEnabled: true,
    preferredSingleSignOnMode: null,
    preferredTokenSigningKeyEndDateTime: null,
    passwordCredentials: [],
    keyCredentials: [],
    appRoleGrants: [],
    ownerIds: [],
    changeSeq: 0,
    ...fields,
  };
}

/** A tenant with nothing in it: the default app management policy off, as Entra ships it, and a premium licence. */
export function newTenantRecord(
  fields: Pick<TenantRecord, 'id' | 'displayName' | 'cloud' | 'defaultDomain'> & Partial<TenantRecord>,
): TenantRecord {
  return {
    users: [],
    applications: [],
    servicePrincipals: [],
    grants: [],
    refreshTokens: [],
    changeSeq: 0,
    premiumLicense: true,
    defaultAppManagementPolicy: { isEnabled: false, applicationRestrictions: { passwordCredentials: [], keyCredentials: [] } },
    appManagementPolicies: [],
    credentialActivity: [],
    ...fields,
  };
}

/** A user; `mail` is null for a user without a mailbox (no Exchange Online licence). */
export function newUserRecord(fields: Pick<UserRecord, 'id' | 'userPrincipalName'> & Partial<UserRecord>): UserRecord {
  return {
    displayName: fields.userPrincipalName,
    mail: fields.userPrincipalName,
    accountEnabled: true,
    refreshTokensValidFromDateTime: new Date(0).toISOString(),
    requiresMfa: false,
    ...fields,
  };
}
