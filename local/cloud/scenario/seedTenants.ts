import { stableGuid } from '../state/credentials.js';
import { newApplicationRecord, newTenantRecord, newUserRecord } from '../state/newDirectoryRecords.js';
import type { TenantDirectory } from '../state/TenantDirectory.js';
import { addMicrosoftServicePrincipals } from './generateDirectory.js';
import type { ParsedScenario } from './scenarioSchema.js';
import type { SeedContext } from './SeedContext.js';
import { seedPoliciesAndActivity } from './seedPoliciesAndActivity.js';
import { seedServicePrincipals } from './seedServicePrincipals.js';

type ScenarioTenant = ParsedScenario['tenants'][number];

/**
 * Seeds the tenants in two passes: first every tenant with its users and applications, so that service
 * principals, owners and grants may then refer to an application of any tenant (multi-tenant apps).
 */
export function seedTenants(seed: SeedContext, tenants: ScenarioTenant[]): void {
  const seeded = tenants.map((t) => ({ t, tenant: seedTenant(seed, t) }));
  for (const { t, tenant } of seeded) {
    seedOwners(seed, t, tenant);
    seedServicePrincipals(seed, t, tenant);
    addMicrosoftServicePrincipals(seed.store.directory, tenant, t.microsoftServicePrincipals);
    seedGrantsAndTokens(seed, t, tenant);
    seedPoliciesAndActivity(seed, t, tenant);
  }
}

function seedTenant(seed: SeedContext, t: ScenarioTenant): TenantDirectory {
  const { directory } = seed.store;
  const tenant = directory.addTenant(
    newTenantRecord({
      id: t.id,
      displayName: t.displayName,
      cloud: t.cloud,
      defaultDomain: t.defaultDomain,
      premiumLicense: t.premiumLicense,
    }),
  );
  for (const u of t.users) {
    const id = u.id ?? stableGuid(`user/${u.userPrincipalName}`);
    const mail = u.mail === undefined ? u.userPrincipalName : u.mail;
    const user = newUserRecord({ id, userPrincipalName: u.userPrincipalName, displayName: u.displayName ?? u.userPrincipalName, mail });
    directory.addUser(tenant, user);
    if (u.password) directory.setPassword(user, u.password);
  }
  for (const a of t.applications) {
    const app = newApplicationRecord({
      id: a.id ?? stableGuid(`${t.id}/app/${a.displayName}`),
      appId: a.appId ?? stableGuid(`${t.id}/appId/${a.displayName}`),
      displayName: a.displayName,
      createdDateTime: seed.at({ inDays: -a.createdDaysAgo }).toISOString(),
      identifierUris: a.identifierUris,
      appRoles: a.appRoles.map((value) => ({ id: stableGuid(`${a.displayName}/role/${value}`), value, displayName: value })),
      passwordCredentials: seed.passwords(a.displayName, a.passwordCredentials),
      keyCredentials: seed.keys(a.displayName, a.keyCredentials),
      webRedirectUris: a.redirectUris,
    });
    directory.addApplication(tenant, app);
    seed.result.appIds[a.displayName] = app.appId;
  }
  return tenant;
}

/** Owners are users of the tenant (by UPN) or applications (by display name: their object id). */
function seedOwners(seed: SeedContext, t: ScenarioTenant, tenant: TenantDirectory): void {
  for (const a of t.applications) {
    if (a.owners.length === 0) continue;
    const app = seed.application(a.displayName, t.id).app;
    const ownerIds = a.owners.map((o) => (o.includes('@') ? seed.user(tenant, o).id : seed.application(o, t.id).app.id));
    seed.store.directory.setOwners(app, ownerIds);
  }
}

function seedGrantsAndTokens(seed: SeedContext, t: ScenarioTenant, tenant: TenantDirectory): void {
  const { directory } = seed.store;
  for (const g of t.grants)
    directory.grantConsent(tenant, seed.application(g.client, t.id).app.appId, seed.user(tenant, g.user).id, g.scopes);
  for (const r of t.refreshTokens) {
    seed.result.refreshTokens[r.name] = directory.issueRefreshToken(tenant, {
      clientAppId: seed.application(r.client, t.id).app.appId,
      userId: seed.user(tenant, r.user).id,
      scopes: r.scopes,
      issuedAt: seed.at({ inDays: -r.issuedDaysAgo }),
    });
  }
  for (const upn of t.revokedSessions) directory.revokeSessions(seed.user(tenant, upn));
}
