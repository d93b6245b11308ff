import { randomBytes, X509Certificate } from 'node:crypto';
import type { CloudStore } from '../state/CloudStore.js';
import { newGuid, sha256 } from '../state/CloudStore.js';
import { newPasswordCredential } from '../state/credentials.js';
import type { ApplicationRecord, KeyCredentialRecord, TenantRecord, UserRecord } from '../state/model.js';

/** Thrown for admin requests that name something that does not exist; the admin app answers 404. */
export class NotFound extends Error {}

export function findTenant(store: CloudStore, id: string): TenantRecord {
  const tenant = store.tenant(id);
  if (!tenant) throw new NotFound(`no tenant ${id}`);
  return tenant;
}

export function findUser(tenant: TenantRecord, ref: string): UserRecord {
  const user = tenant.users.find((u) => u.userPrincipalName.toLowerCase() === ref.toLowerCase() || u.id === ref);
  if (!user) throw new NotFound(`no user ${ref} in ${tenant.id}`);
  return user;
}

/** An application by display name, app id or object id. */
export function findApplication(store: CloudStore, ref: string): { tenant: TenantRecord; app: ApplicationRecord } {
  for (const tenant of store.data.tenants) {
    const app = tenant.applications.find((a) => !a.deleted && (a.displayName === ref || a.appId === ref || a.id === ref));
    if (app) return { tenant, app };
  }
  throw new NotFound(`no application ${ref}`);
}

export function revokeSessions(store: CloudStore, user: UserRecord): void {
  user.refreshTokensValidFromDateTime = store.now().toISOString();
  store.changed();
}

export function issueRefreshToken(
  store: CloudStore,
  tenant: TenantRecord,
  input: { client: string; user: string; scopes: string[]; issuedDaysAgo?: number | undefined },
): string {
  const { app } = findApplication(store, input.client);
  const user = findUser(tenant, input.user);
  const token = `0.Vigil${randomBytes(48).toString('base64url')}`;
  const issuedAt = new Date(store.now().getTime() - (input.issuedDaysAgo ?? 0) * 86_400_000).toISOString();
  tenant.refreshTokens.push({ hash: sha256(token), clientAppId: app.appId, userId: user.id, scopes: input.scopes, issuedAt });
  if (!tenant.grants.some((g) => g.clientAppId === app.appId && g.userId === user.id)) {
    tenant.grants.push({ clientAppId: app.appId, userId: user.id, scopes: input.scopes });
  }
  store.changed();
  return token;
}

export function withdrawConsent(store: CloudStore, tenant: TenantRecord, client: string, userRef: string): void {
  const { app } = findApplication(store, client);
  const user = findUser(tenant, userRef);
  tenant.grants = tenant.grants.filter((g) => !(g.clientAppId === app.appId && g.userId === user.id));
  store.changed();
}

export function addPassword(
  store: CloudStore,
  ref: string,
  input: {
    displayName?: string | undefined;
    endInDays?: number | undefined;
    startInDays?: number | undefined;
    secretText?: string | undefined;
  },
): { keyId: string; secretText: string; endDateTime: string } {
  const { tenant, app } = findApplication(store, ref);
  const now = store.now().getTime();
  const { record, secretText } = newPasswordCredential({
    start: new Date(now + (input.startInDays ?? 0) * 86_400_000),
    end: new Date(now + (input.endInDays ?? 180) * 86_400_000),
    displayName: input.displayName ?? null,
    ...(input.secretText ? { secretText: input.secretText } : {}),
  });
  app.passwordCredentials.push(record);
  store.touch(tenant, app);
  return { keyId: record.keyId, secretText, endDateTime: record.endDateTime };
}

/**
 * Uploads a certificate's public part to an application, as the portal's "Upload certificate" does: the
 * key credential takes the certificate's validity, its SHA-1 thumbprint as custom key identifier, and
 * the certificate itself (base64 DER) as key, which the token endpoint checks client assertions with.
 */
export function addCertificate(
  store: CloudStore,
  ref: string,
  input: { certificate: string; displayName?: string | undefined },
): { keyId: string; endDateTime: string } {
  const { tenant, app } = findApplication(store, ref);
  const certificate = new X509Certificate(input.certificate);
  const record: KeyCredentialRecord = {
    keyId: newGuid(),
    displayName: input.displayName ?? certificate.subject.replace(/\n/g, ', '),
    startDateTime: new Date(certificate.validFrom).toISOString(),
    endDateTime: new Date(certificate.validTo).toISOString(),
    type: 'AsymmetricX509Cert',
    usage: 'Verify',
    customKeyIdentifier: certificate.fingerprint.replace(/:/g, ''),
    key: certificate.raw.toString('base64'),
  };
  app.keyCredentials.push(record);
  store.touch(tenant, app);
  return { keyId: record.keyId, endDateTime: record.endDateTime };
}

export function expireCredential(store: CloudStore, ref: string, keyId: string): void {
  const { tenant, app } = findApplication(store, ref);
  const credential = [...app.passwordCredentials, ...app.keyCredentials].find((c) => c.keyId === keyId);
  if (!credential) throw new NotFound(`no credential ${keyId} on ${ref}`);
  credential.endDateTime = new Date(store.now().getTime() - 60_000).toISOString();
  store.touch(tenant, app);
}

export function setAppRoles(store: CloudStore, tenant: TenantRecord, ref: string, resource: string, roles: string[]): void {
  const { app } = findApplication(store, ref);
  const sp = store.servicePrincipal(tenant, app.appId);
  if (!sp) throw new NotFound(`no service principal for ${ref} in ${tenant.id}`);
  sp.appRoleGrants = [...sp.appRoleGrants.filter((g) => g.resource !== resource), { resource, roles }];
  store.changed();
}
