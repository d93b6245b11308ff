import { randomBytes, randomUUID } from 'node:crypto';
import { newPasswordCredential, sha256 } from './credentials.js';
import type { DirectoryObjectIndex, DirectoryObjectRecord } from './DirectoryObjectIndex.js';
import type {
  AppManagementPolicyRecord,
  ApplicationRecord,
  CredentialActivityRecord,
  FederatedIdentityCredentialRecord,
  KeyCredentialRecord,
  PasswordCredentialRecord,
  ServicePrincipalRecord,
  TenantAppManagementPolicyRecord,
  TenantRecord,
  UserRecord,
} from './model.js';
import { TenantDirectory } from './TenantDirectory.js';

/** What the directory needs from its store: the emulated clock, and a way to say the state must be saved. */
export interface DirectoryHooks {
  now(): Date;
  changed(): void;
}

export interface HomedApplication {
  tenant: TenantDirectory;
  app: ApplicationRecord;
}

/**
 * The one directory behind the local Entra, Graph and the admin API: every tenant with its indexes, and
 * the operations that change it. Every change goes through here, so the clock, the change numbers delta
 * reads and the saving of the state apply the same way whichever emulator or admin route made it.
 */
export class Directory {
  private readonly byRef = new Map<string, TenantDirectory>();
  private readonly list: TenantDirectory[] = [];
  /** Live applications by app id, wherever they are homed (a multi-tenant app lives in one tenant). */
  private readonly homes = new Map<string, HomedApplication>();
  private readonly apis = new Map<string, ApplicationRecord>();

  constructor(
    private readonly records: TenantRecord[],
    private readonly hooks: DirectoryHooks,
  ) {
    for (const record of records) this.register(record);
  }

  tenants(): readonly TenantDirectory[] {
    return this.list;
  }

  /** A tenant by id or default domain. */
  tenant(ref: string): TenantDirectory | undefined {
    return this.byRef.get(ref.toLowerCase());
  }

  /** The live registration behind a client id, and the tenant it is homed in. */
  application(appId: string): HomedApplication | undefined {
    return this.homes.get(appId.toLowerCase());
  }

  /** The application that publishes an API by its Application ID URI or app id. */
  api(resource: string): ApplicationRecord | undefined {
    return this.apis.get(resource.toLowerCase()) ?? this.application(resource)?.app;
  }

  addTenant(record: TenantRecord): TenantDirectory {
    this.records.push(record);
    this.hooks.changed();
    return this.register(record);
  }

  addUser(tenant: TenantDirectory, user: UserRecord): void {
    tenant.addUser(user);
    this.hooks.changed();
  }

  addApplication(tenant: TenantDirectory, app: ApplicationRecord): void {
    tenant.applications.add(app);
    this.home(tenant, app);
    this.touch(tenant, app);
  }

  /** Soft-deletes an application: gone from reads and sign-ins, reported as removed by delta. */
  deleteApplication(tenant: TenantDirectory, app: ApplicationRecord): void {
    app.deleted = true;
    this.touch(tenant, app);
  }

  /** Adds a service principal, replacing the tenant's existing one for the same app. */
  addServicePrincipal(tenant: TenantDirectory, sp: ServicePrincipalRecord): void {
    const existing = tenant.servicePrincipalOf(sp.appId);
    if (existing) tenant.servicePrincipals.remove(existing);
    tenant.servicePrincipals.add(sp);
    this.touch(tenant, sp);
  }

  /**
   * Marks an application or service principal as changed for delta queries, and the state for saving.
   * A deleted application stops being the home of its app id (no more sign-ins).
   */
  touch(tenant: TenantDirectory, object: DirectoryObjectRecord): void {
    tenant.record.changeSeq += 1;
    object.changeSeq = tenant.record.changeSeq;
    this.indexOf(tenant, object).changed(object);
    if ('deleted' in object && object.deleted && this.homes.get(object.appId.toLowerCase())?.app === object)
      this.homes.delete(object.appId.toLowerCase());
    this.hooks.changed();
  }

  /** A new client secret (addPassword); its text is returned once and only its hash kept. */
  addPassword(
    tenant: TenantDirectory,
    object: DirectoryObjectRecord,
    options: { displayName?: string | null; start: Date; end: Date; secretText?: string; keyId?: string },
  ): { record: PasswordCredentialRecord; secretText: string } {
    const created = newPasswordCredential(options);
    object.passwordCredentials.push(created.record);
    this.touch(tenant, object);
    return created;
  }

  /** Removes a client secret by key id; false when the object has none with it. */
  removePassword(tenant: TenantDirectory, object: DirectoryObjectRecord, keyId: string): boolean {
    const index = object.passwordCredentials.findIndex((c) => c.keyId.toLowerCase() === keyId.toLowerCase());
    if (index < 0) return false;
    object.passwordCredentials.splice(index, 1);
    this.touch(tenant, object);
    return true;
  }

  addKey(tenant: TenantDirectory, object: DirectoryObjectRecord, key: KeyCredentialRecord): void {
    object.keyCredentials.push(key);
    this.touch(tenant, object);
  }

  /** Moves a credential's end to just before now; false when the object has no credential with that key id. */
  expireCredential(tenant: TenantDirectory, object: DirectoryObjectRecord, keyId: string): boolean {
    const credential = [...object.passwordCredentials, ...object.keyCredentials].find((c) => c.keyId === keyId);
    if (!credential) return false;
    credential.endDateTime = new Date(this.hooks.now().getTime() - 60_000).toISOString();
    this.touch(tenant, object);
    return true;
  }

  setApplicationDisabled(tenant: TenantDirectory, app: ApplicationRecord, disabled: boolean): void {
    app.disabled = disabled;
    this.touch(tenant, app);
  }

  /** A federated identity credential on an application (not a credential delta reads: Graph keeps them apart). */
  addFederatedCredential(app: ApplicationRecord, credential: FederatedIdentityCredentialRecord): void {
    app.federatedIdentityCredentials.push(credential);
    this.hooks.changed();
  }

  setDefaultAppManagementPolicy(tenant: TenantDirectory, policy: TenantAppManagementPolicyRecord): void {
    tenant.record.defaultAppManagementPolicy = policy;
    this.hooks.changed();
  }

  addAppManagementPolicy(tenant: TenantDirectory, policy: AppManagementPolicyRecord): void {
    tenant.record.appManagementPolicies.push(policy);
    this.hooks.changed();
  }

  /**
   * A sign-in with a credential, as the usage report records it: one entry per key id and origin, in the
   * tenant the credential lives in, keeping the latest sign-in.
   */
  recordCredentialUse(tenant: TenantDirectory, use: Omit<CredentialActivityRecord, 'lastSignInRequestId'> & { requestId?: string }): void {
    const { requestId, ...activity } = use;
    const entry: CredentialActivityRecord = { ...activity, lastSignInRequestId: requestId ?? randomUUID() };
    const list = tenant.record.credentialActivity;
    const at = list.findIndex((a) => a.keyId.toLowerCase() === use.keyId.toLowerCase() && a.credentialOrigin === use.credentialOrigin);
    if (at < 0) list.push(entry);
    else if (Date.parse(list[at]!.lastSignInDateTime) <= Date.parse(use.lastSignInDateTime)) list[at] = entry;
    this.hooks.changed();
  }

  setOwners(object: DirectoryObjectRecord, ownerIds: string[]): void {
    object.ownerIds = ownerIds;
    this.hooks.changed();
  }

  setAppRoles(sp: ServicePrincipalRecord, resource: string, roles: string[]): void {
    sp.appRoleGrants = [...sp.appRoleGrants.filter((g) => g.resource !== resource), { resource, roles }];
    this.hooks.changed();
  }

  updateUser(user: UserRecord, change: Partial<Pick<UserRecord, 'accountEnabled' | 'requiresMfa'>>): void {
    Object.assign(user, change);
    this.hooks.changed();
  }

  /** The password the local sign-in page accepts; only its hash is kept. */
  setPassword(user: UserRecord, password: string): void {
    user.passwordHash = sha256(password);
    this.hooks.changed();
  }

  /** revokeSignInSessions: refresh tokens issued before now stop working (AADSTS50173). */
  revokeSessions(user: UserRecord): void {
    user.refreshTokensValidFromDateTime = this.hooks.now().toISOString();
    this.hooks.changed();
  }

  grantConsent(tenant: TenantDirectory, clientAppId: string, userId: string, scopes: string[]): void {
    tenant.putGrant({ clientAppId, userId, scopes });
    this.hooks.changed();
  }

  withdrawConsent(tenant: TenantDirectory, clientAppId: string, userId: string): void {
    tenant.removeGrant(clientAppId, userId);
    this.hooks.changed();
  }

  /**
   * Issues a refresh token; only its hash is kept, as Entra keeps no issued token. `mfa`: the sign-in
   * behind it satisfied multi-factor authentication (an interactive one, or a token rotated from one).
   */
  issueRefreshToken(
    tenant: TenantDirectory,
    grant: { clientAppId: string; userId: string; scopes: string[]; issuedAt?: Date; mfa?: boolean },
  ): string {
    const token = `0.Vigil${randomBytes(48).toString('base64url')}`;
    const issuedAt = (grant.issuedAt ?? this.hooks.now()).toISOString();
    const { clientAppId, userId, scopes } = grant;
    tenant.addRefreshToken({ hash: sha256(token), clientAppId, userId, scopes, issuedAt, ...(grant.mfa ? { mfa: true } : {}) });
    this.hooks.changed();
    return token;
  }

  private register(record: TenantRecord): TenantDirectory {
    const tenant = new TenantDirectory(record);
    this.list.push(tenant);
    this.byRef.set(record.id.toLowerCase(), tenant);
    this.byRef.set(record.defaultDomain.toLowerCase(), tenant);
    for (const app of record.applications) this.home(tenant, app);
    return tenant;
  }

  private home(tenant: TenantDirectory, app: ApplicationRecord): void {
    if (app.deleted) return;
    if (!this.homes.has(app.appId.toLowerCase())) this.homes.set(app.appId.toLowerCase(), { tenant, app });
    for (const uri of app.identifierUris) this.apis.set(uri.toLowerCase(), app);
  }

  private indexOf(tenant: TenantDirectory, object: DirectoryObjectRecord): DirectoryObjectIndex<DirectoryObjectRecord> {
    return 'appOwnerOrganizationId' in object ? tenant.servicePrincipals : tenant.applications;
  }
}
