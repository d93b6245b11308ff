import { stableGuid } from '../state/credentials.js';
import type { CredentialRestrictionsRecord } from '../state/model.js';
import type { TenantDirectory } from '../state/TenantDirectory.js';
import type { ParsedScenario } from './scenarioSchema.js';
import type { SeedContext } from './SeedContext.js';

type ScenarioTenant = ParsedScenario['tenants'][number];
type Restrictions = NonNullable<ScenarioTenant['defaultAppManagementPolicy']>;

/** Microsoft Graph's app id: the resource a seeded sign-in was for unless the scenario names another. */
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/**
 * App management policies (the enabled default and the assigned ones), federated identity credentials,
 * and the last sign-in of the credentials the scenario says were used, once every app and service
 * principal exists.
 */
export function seedPoliciesAndActivity(seed: SeedContext, t: ScenarioTenant, tenant: TenantDirectory): void {
  const { directory } = seed.store;
  if (t.defaultAppManagementPolicy)
    directory.setDefaultAppManagementPolicy(tenant, {
      isEnabled: true,
      applicationRestrictions: toRecord(seed, t.defaultAppManagementPolicy),
    });
  for (const p of t.appManagementPolicies)
    directory.addAppManagementPolicy(tenant, {
      id: stableGuid(`${t.id}/policy/${p.displayName}`),
      displayName: p.displayName,
      description: null,
      isEnabled: true,
      restrictions: toRecord(seed, p),
      appliesTo: p.appliesTo.map((name) => seed.application(name, t.id).app.id),
    });
  for (const a of t.applications) {
    const { app } = seed.application(a.displayName, t.id);
    for (const f of a.federatedIdentityCredentials)
      directory.addFederatedCredential(app, {
        id: stableGuid(`${app.id}/fic/${f.name}`),
        name: f.name,
        issuer: f.issuer,
        subject: f.subject,
        audiences: f.audiences,
        description: f.description ?? null,
      });
    const sp = tenant.servicePrincipalOf(app.appId);
    const used = [
      ...a.passwordCredentials.map((c, i) => ({ c, keyType: 'clientSecret' as const, record: app.passwordCredentials[i]! })),
      ...a.keyCredentials.map((c, i) => ({ c, keyType: 'certificate' as const, record: app.keyCredentials[i]! })),
    ];
    for (const { c, keyType, record } of used) {
      if (!c.lastSignIn) continue;
      directory.recordCredentialUse(tenant, {
        keyId: record.keyId,
        keyType,
        appId: app.appId,
        appObjectId: app.id,
        servicePrincipalObjectId: sp?.id ?? null,
        resourceId: c.lastSignInResource ?? GRAPH_APP_ID,
        credentialOrigin: 'application',
        createdDateTime: record.startDateTime,
        expirationDateTime: record.endDateTime,
        lastSignInDateTime: seed.at(c.lastSignIn).toISOString(),
      });
    }
  }
}

function toRecord(seed: SeedContext, r: Restrictions): CredentialRestrictionsRecord {
  const restriction = (x: Restrictions['passwordCredentials'][number]) => ({
    restrictionType: x.restrictionType,
    maxLifetime: x.maxLifetime ?? null,
    restrictForAppsCreatedAfterDateTime: x.restrictForAppsCreatedAfter ? seed.at(x.restrictForAppsCreatedAfter).toISOString() : null,
    state: x.state,
  });
  return { passwordCredentials: r.passwordCredentials.map(restriction), keyCredentials: r.keyCredentials.map(restriction) };
}
