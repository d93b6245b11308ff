import { DirectoryObjectIndex } from './DirectoryObjectIndex.js';
import type {
  ApplicationRecord,
  DelegatedGrantRecord,
  RefreshTokenRecord,
  ServicePrincipalRecord,
  TenantRecord,
  UserRecord,
} from './model.js';

const grantKey = (clientAppId: string, userId: string) => `${clientAppId.toLowerCase()}/${userId.toLowerCase()}`;

/**
 * One tenant's directory with its indexes: applications and service principals (DirectoryObjectIndex),
 * users by id and UPN, refresh tokens by hash, consent grants by client and user. Reads only; changes go
 * through `Directory`, which keeps the record, the indexes and the change numbers in step.
 */
export class TenantDirectory {
  readonly applications: DirectoryObjectIndex<ApplicationRecord>;
  readonly servicePrincipals: DirectoryObjectIndex<ServicePrincipalRecord>;
  private readonly usersById = new Map<string, UserRecord>();
  private readonly usersByName = new Map<string, UserRecord>();
  private readonly tokensByHash = new Map<string, RefreshTokenRecord>();
  private readonly grantsByKey = new Map<string, DelegatedGrantRecord>();
  private grantedScopesKept: Set<string> | undefined;

  constructor(readonly record: TenantRecord) {
    this.applications = new DirectoryObjectIndex(record.applications);
    this.servicePrincipals = new DirectoryObjectIndex(record.servicePrincipals);
    for (const user of record.users) this.indexUser(user);
    for (const token of record.refreshTokens) this.tokensByHash.set(token.hash, token);
    for (const grant of record.grants) this.grantsByKey.set(grantKey(grant.clientAppId, grant.userId), grant);
  }

  get id(): string {
    return this.record.id;
  }

  /** A user by object id or user principal name (case-insensitive). */
  user(ref: string): UserRecord | undefined {
    const wanted = ref.toLowerCase();
    return this.usersById.get(wanted) ?? this.usersByName.get(wanted);
  }

  servicePrincipalOf(appId: string): ServicePrincipalRecord | undefined {
    return this.servicePrincipals.find({ by: 'appId', value: appId });
  }

  refreshToken(hash: string): RefreshTokenRecord | undefined {
    return this.tokensByHash.get(hash);
  }

  grant(clientAppId: string, userId: string): DelegatedGrantRecord | undefined {
    return this.grantsByKey.get(grantKey(clientAppId, userId));
  }

  /**
   * Every scope any user consented to, on any client, lower-cased: what the tenant knows its resources
   * publish. Worked out once per change of grants, not on every token request (each refresh asks).
   */
  grantedScopes(): ReadonlySet<string> {
    this.grantedScopesKept ??= new Set(this.record.grants.flatMap((g) => g.scopes.map((s) => s.toLowerCase())));
    return this.grantedScopesKept;
  }

  addUser(user: UserRecord): void {
    this.record.users.push(user);
    this.indexUser(user);
  }

  addRefreshToken(token: RefreshTokenRecord): void {
    this.record.refreshTokens.push(token);
    this.tokensByHash.set(token.hash, token);
  }

  /** Adds or replaces the grant of one client for one user. */
  putGrant(grant: DelegatedGrantRecord): void {
    const existing = this.grant(grant.clientAppId, grant.userId);
    this.grantedScopesKept = undefined;
    if (existing) existing.scopes = grant.scopes;
    else {
      this.record.grants.push(grant);
      this.grantsByKey.set(grantKey(grant.clientAppId, grant.userId), grant);
    }
  }

  removeGrant(clientAppId: string, userId: string): void {
    const existing = this.grant(clientAppId, userId);
    if (!existing) return;
    this.grantedScopesKept = undefined;
    this.record.grants.splice(this.record.grants.indexOf(existing), 1);
    this.grantsByKey.delete(grantKey(clientAppId, userId));
  }

  private indexUser(user: UserRecord): void {
    this.usersById.set(user.id.toLowerCase(), user);
    this.usersByName.set(user.userPrincipalName.toLowerCase(), user);
  }
}
