import { newSamlSigningCertificate, stableGuid } from '../state/credentials.js';
import type { KeyCredentialRecord } from '../state/model.js';
import { newServicePrincipalRecord } from '../state/newDirectoryRecords.js';
import type { TenantDirectory } from '../state/TenantDirectory.js';
import type { ParsedScenario } from './scenarioSchema.js';
import type { SeedContext } from './SeedContext.js';

type ScenarioTenant = ParsedScenario['tenants'][number];
type ScenarioServicePrincipal = ScenarioTenant['servicePrincipals'][number];

const toGrants = (roles: Record<string, string[]>) => Object.entries(roles).map(([resource, r]) => ({ resource, roles: r }));

/**
 * Each application's own service principal in its home tenant (unless the scenario says not), then the
 * scenario's explicit service principals: an app of another tenant consented here, or a SAML app with
 * its signing certificate. An explicit one replaces the app's default one.
 */
export function seedServicePrincipals(seed: SeedContext, t: ScenarioTenant, tenant: TenantDirectory): void {
  const { directory } = seed.store;
  for (const a of t.applications) {
    if (!a.servicePrincipal) continue;
    const app = seed.application(a.displayName, t.id).app;
    const sp = newServicePrincipalRecord({
      id: stableGuid(`${t.id}/sp/${a.displayName}`),
      appId: app.appId,
      displayName: a.displayName,
      appOwnerOrganizationId: t.id,
      publisherName: t.displayName,
      appRoleGrants: toGrants(a.roles),
    });
    directory.addServicePrincipal(tenant, sp);
  }
  for (const s of t.servicePrincipals) directory.addServicePrincipal(tenant, toServicePrincipal(seed, t, s));
}

function toServicePrincipal(seed: SeedContext, t: ScenarioTenant, s: ScenarioServicePrincipal) {
  const { tenant: home, app } = seed.application(s.application, t.id);
  const name = s.displayName ?? app.displayName;
  return newServicePrincipalRecord({
    id: s.id ?? stableGuid(`${t.id}/sp/${name}`),
    appId: app.appId,
    displayName: name,
    appOwnerOrganizationId: home.id,
    publisherName: home.record.displayName,
    preferredSingleSignOnMode: s.preferredSingleSignOnMode ?? null,
    preferredTokenSigningKeyEndDateTime: s.samlSigningCertificateEnd ? seed.at(s.samlSigningCertificateEnd).toISOString() : null,
    passwordCredentials: seed.passwords(`${name}@sp`, s.passwordCredentials),
    keyCredentials: [...samlSigningKeys(seed, t.id, name, s), ...seed.keys(`${name}@sp`, s.keyCredentials)],
    appRoleGrants: toGrants(s.roles),
  });
}

/** The SAML signing certificate Entra creates for a gallery or custom SAML app. */
function samlSigningKeys(seed: SeedContext, tenantId: string, name: string, s: ScenarioServicePrincipal): KeyCredentialRecord[] {
  if (!s.samlSigningCertificateEnd) return [];
  return [
    newSamlSigningCertificate({ tenantId, appName: name, start: seed.at({ inDays: -300 }), end: seed.at(s.samlSigningCertificateEnd) }),
  ];
}
