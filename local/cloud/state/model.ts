/**
 * The local cloud's whole state: one directory model behind Entra, Graph and the token endpoint, the
 * vaults behind the Key Vault emulator, and what the sinks captured. Plain JSON so it can be saved
 * between runs and read in tests. Dates are ISO-8601 strings in UTC, as Graph sends them.
 */
export type CloudName = 'global' | 'usgov' | 'usgovdod' | 'china';

export interface PasswordCredentialRecord {
  keyId: string;
  displayName: string | null;
  startDateTime: string;
  endDateTime: string;
  /** First three characters of the secret, as Graph shows them. */
  hint: string;
  /** SHA-256 of the secret text: the emulator, like Entra, never keeps the secret itself. */
  secretHash: string;
}

export interface KeyCredentialRecord {
  keyId: string;
  displayName: string | null;
  startDateTime: string;
  endDateTime: string;
  type: 'AsymmetricX509Cert' | 'Symmetric' | 'X509CertAndPassword';
  usage: 'Verify' | 'Sign';
  customKeyIdentifier: string | null;
  key: string | null;
}

/** A federated identity credential of an application: tokens from `issuer` for `subject` sign it in, no secret needed. */
export interface FederatedIdentityCredentialRecord {
  id: string;
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
  description: string | null;
}

/** One restriction of an app management policy (passwordCredentialConfiguration / keyCredentialConfiguration). */
export interface CredentialRestrictionRecord {
  restrictionType: string;
  maxLifetime: string | null;
  restrictForAppsCreatedAfterDateTime: string | null;
  state: 'enabled' | 'disabled';
}

export interface CredentialRestrictionsRecord {
  passwordCredentials: CredentialRestrictionRecord[];
  keyCredentials: CredentialRestrictionRecord[];
}

/** The tenant's default app management policy (`tenantAppManagementPolicy`): off until an admin enables it. */
export interface TenantAppManagementPolicyRecord {
  isEnabled: boolean;
  applicationRestrictions: CredentialRestrictionsRecord;
}

/** An app management policy assigned to some applications, which then ignore the tenant default. */
export interface AppManagementPolicyRecord {
  id: string;
  displayName: string;
  description: string | null;
  isEnabled: boolean;
  restrictions: CredentialRestrictionsRecord;
  /** Object ids of the applications and service principals it applies to. */
  appliesTo: string[];
}

/**
 * The last sign-in with one credential, as Entra's usage report keeps it (appCredentialSignInActivity):
 * recorded by the local Entra on every sign-in with a client secret or certificate, or by the admin API.
 */
export interface CredentialActivityRecord {
  keyId: string;
  keyType: 'clientSecret' | 'certificate';
  appId: string;
  appObjectId: string;
  servicePrincipalObjectId: string | null;
  resourceId: string | null;
  credentialOrigin: 'application' | 'servicePrincipal';
  createdDateTime: string;
  expirationDateTime: string;
  lastSignInDateTime: string;
  lastSignInRequestId: string;
}

export interface AppRoleRecord {
  id: string;
  value: string;
  displayName: string;
}

export interface ApplicationRecord {
  id: string;
  appId: string;
  displayName: string;
  createdDateTime: string;
  identifierUris: string[];
  appRoles: AppRoleRecord[];
  passwordCredentials: PasswordCredentialRecord[];
  keyCredentials: KeyCredentialRecord[];
  federatedIdentityCredentials: FederatedIdentityCredentialRecord[];
  ownerIds: string[];
  /** Set when the app is disabled by Microsoft or an admin (AADSTS7000112). */
  disabled: boolean;
  /** Monotonic change number in its tenant, read by the delta query. */
  changeSeq: number;
  deleted: boolean;
  /** Graph's `web.redirectUris`: where the authorize endpoint may send a code (AADSTS50011 elsewhere). */
  webRedirectUris: string[];
}

/** App roles a service principal holds on a resource, by the resource's audience (`https://graph.microsoft.com`). */
export interface AppRoleGrantRecord {
  resource: string;
  roles: string[];
}

export interface ServicePrincipalRecord {
  id: string;
  appId: string;
  displayName: string;
  /** The tenant the application is registered in (Microsoft's own for first-party service principals). */
  appOwnerOrganizationId: string;
  /** Name of the publisher's tenant, as Graph shows it (`Microsoft Services` for Microsoft's apps). */
  publisherName: string | null;
  servicePrincipalType: 'Application' | 'ManagedIdentity';
  accountEnabled: boolean;
  preferredSingleSignOnMode: string | null;
  preferredTokenSigningKeyEndDateTime: string | null;
  passwordCredentials: PasswordCredentialRecord[];
  keyCredentials: KeyCredentialRecord[];
  appRoleGrants: AppRoleGrantRecord[];
  ownerIds: string[];
  changeSeq: number;
}

export interface UserRecord {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mail: string | null;
  accountEnabled: boolean;
  /** Refresh tokens issued before this instant are revoked (revokeSignInSessions, password reset). */
  refreshTokensValidFromDateTime: string;
  /** Conditional Access demands MFA on the next token request (AADSTS50076). */
  requiresMfa: boolean;
  /**
   * SHA-256 of the password the local sign-in page accepts (set through `Directory.setPassword`); without
   * one the user cannot sign in interactively.
   */
  passwordHash?: string;
}

/** A user's consent for a client app (oauth2PermissionGrant), in the scope form the token endpoint sees. */
export interface DelegatedGrantRecord {
  clientAppId: string;
  userId: string;
  scopes: string[];
}

export interface RefreshTokenRecord {
  /** SHA-256 of the token; the emulator never keeps issued tokens. */
  hash: string;
  clientAppId: string;
  userId: string;
  scopes: string[];
  issuedAt: string;
  /**
   * Issued after an interactive sign-in, which satisfies multi-factor authentication: a Conditional Access
   * demand for MFA (`requiresMfa`) lets it refresh, and the tokens it rotates into keep the claim.
   */
  mfa?: boolean;
}

export interface TenantRecord {
  id: string;
  displayName: string;
  cloud: CloudName;
  defaultDomain: string;
  users: UserRecord[];
  applications: ApplicationRecord[];
  servicePrincipals: ServicePrincipalRecord[];
  grants: DelegatedGrantRecord[];
  refreshTokens: RefreshTokenRecord[];
  changeSeq: number;
  /** Microsoft Entra ID P1 or P2: the usage report needs it (403 Authentication_RequestFromNonPremiumTenantOrB2CTenant otherwise). */
  premiumLicense: boolean;
  defaultAppManagementPolicy: TenantAppManagementPolicyRecord;
  appManagementPolicies: AppManagementPolicyRecord[];
  credentialActivity: CredentialActivityRecord[];
}

export interface SecretAttributesRecord {
  enabled: boolean;
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
  recoverableDays: number;
  recoveryLevel: string;
}

export interface SecretVersionRecord {
  version: string;
  value: string;
  contentType: string | null;
  tags: Record<string, string>;
  attributes: SecretAttributesRecord;
}

export interface SecretRecord {
  name: string;
  /** Oldest first; the last one is the current version. */
  versions: SecretVersionRecord[];
  /** Set while the secret is soft-deleted. */
  deletedDate?: number;
  scheduledPurgeDate?: number;
}

export interface VaultRecord {
  name: string;
  tenantId: string;
  /** Application ids allowed to use the vault's secrets (Key Vault Secrets Officer); others get 403 ForbiddenByRbac. */
  allowedAppIds: string[];
  secrets: Record<string, SecretRecord>;
}

export interface CapturedRequest {
  receivedAt: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface WebhookEndpointRecord {
  name: string;
  /** `whsec_…` secret the receiver verifies Standard Webhooks signatures with. */
  secret: string;
  /** `gone` answers 410 so a sender's endpoint-disabling logic can be tested. */
  behaviour: 'accept' | 'gone';
}

export interface CloudStateData {
  tenants: TenantRecord[];
  vaults: VaultRecord[];
  /** Messages accepted by Graph sendMail, by sender. */
  mail: Array<CapturedRequest & { sender: string }>;
  teams: CapturedRequest[];
  /** Messages the Slack incoming-webhook sink accepted (path without the webhook's token). */
  slack: CapturedRequest[];
  /** Events the PagerDuty sink accepted (routing key reduced to its last four characters). */
  pagerduty: Array<CapturedRequest & { action: 'trigger' | 'acknowledge' | 'resolve'; dedupKey: string }>;
  webhooks: Array<CapturedRequest & { endpoint: string; verified: boolean }>;
  webhookEndpoints: WebhookEndpointRecord[];
  /** Milliseconds the emulated clock runs ahead of the machine's (admin API "move the clock"). */
  clockOffsetMs: number;
}

export function emptyState(): CloudStateData {
  return { tenants: [], vaults: [], mail: [], teams: [], slack: [], pagerduty: [], webhooks: [], webhookEndpoints: [], clockOffsetMs: 0 };
}
