import { addGeneratedApplications } from '../local/cloud/scenario/generateDirectory.js';
import type { Scenario } from '../local/cloud/scenario/scenarioSchema.js';
import type { CloudStore } from '../local/cloud/state/CloudStore.js';
import { stableGuid } from '../local/cloud/state/credentials.js';

export const SCAN_HOME_TENANT = '5ca05ca0-1111-4222-8333-444455556666';
export const SCAN_VAULT = 'scan-bench';
export const SCAN_VIGIL_SECRET = 'scan-bench-vigil-secret-not-for-production';
export const SCAN_VIGIL_APP_ID = '5ca05ca0-0000-4000-8000-00000000a11d';
/** The multi-tenant app's secret, as the other tenants' configuration names it. */
export const SCAN_TENANT_SECRET = 'vigil-multitenant';
const GRAPH = 'https://graph.microsoft.com';

export const benchTenantId = (t: number) => (t === 0 ? SCAN_HOME_TENANT : stableGuid(`scan-bench/tenant/${t}`));

/** Microsoft's own service principals in every bench tenant, as a real tenant holds several hundred. */
export const MICROSOFT_SERVICE_PRINCIPALS = 600;

/** Service principals a bench tenant of `apps` generated apps lists: one per app, Vigil's, and Microsoft's. */
export const servicePrincipalsOf = (apps: number): number => apps + 1 + MICROSOFT_SERVICE_PRINCIPALS;

/** One app in a hundred holds a secret inside the ladder (45 days), the rest one far from it. */
const secretEndsInDays = (i: number) => (i % 100 === 0 ? 45 : 400);
/**
 * A large, messy tenant as MSPs meet it: 14 apps in 25 hold a secret expired (up to 400 days ago) or
 * ending within 60 days, spread over the whole range; the others one far from the ladder.
 */
const messySecretEndsInDays = (i: number) => (i % 25 < 14 ? ((i * 37) % 461) - 400 : 400);
/** One app in 500 signs users in by SAML, its signing certificate far from the ladder. */
const samlCertificateEndsInDays = (i: number) => (i % 500 === 7 ? 300 : undefined);

/** Each generated app has its own service principal, as one an app is used in gets (scenario default). */
const generatedApps = (count: number) =>
  Array.from({ length: count }, (_, i) => ({
    displayName: `App ${i}`,
    passwordCredentials: [{ displayName: 'prod', end: { inDays: secretEndsInDays(i) } }],
  }));

const vigil = {
  displayName: 'Vigil',
  appId: SCAN_VIGIL_APP_ID,
  passwordCredentials: [{ displayName: 'vigil', secretText: SCAN_VIGIL_SECRET, end: { inDays: 300 } }],
  // What a scan reads: the directory, Entra's usage report and the app management policies (issue 16).
  roles: { [GRAPH]: ['Application.Read.All', 'AuditLog.Read.All', 'Policy.Read.All'] },
};
const vault = {
  name: SCAN_VAULT,
  tenant: SCAN_HOME_TENANT,
  allowedApps: ['Vigil'],
  secrets: [{ name: SCAN_TENANT_SECRET, value: { clientSecret: { application: 'Vigil', credential: 'vigil' } } }],
};

/** The single bench tenant with Vigil alone; `addGeneratedApps` fills it. */
export function singleTenantScenario(): Scenario {
  return {
    tenants: [
      {
        id: SCAN_HOME_TENANT,
        displayName: 'Bench',
        defaultDomain: 'bench.onmicrosoft.com',
        applications: [vigil],
        microsoftServicePrincipals: MICROSOFT_SERVICE_PRINCIPALS,
      },
    ],
    vaults: [vault],
  };
}

/**
 * Adds `count` applications, each with its service principal, to the single bench tenant through the
 * directory's operations: the scenario schema would parse 100,000 objects first. `messy`: see above.
 */
export function addGeneratedApps(store: CloudStore, count: number, messy = false): void {
  const tenant = store.directory.tenant(SCAN_HOME_TENANT)!;
  addGeneratedApplications(store.directory, tenant, store.now(), {
    count,
    name: (i) => `App ${i}`,
    secretEndsInDays: messy ? messySecretEndsInDays : secretEndsInDays,
    servicePrincipals: true,
    samlCertificateEndsInDays,
  });
}

/**
 * A usage report of `rows` rows in the bench tenant, as a tenant whose apps sign in holds: Microsoft's
 * report lists "recent activity of application credentials", one row per credential (and origin) that
 * signed in (learn.microsoft.com/graph/api/reportroot-list-appcredentialsigninactivities). The rows are
 * the client secrets of every k-th generated app, spread over the tenant, signed in yesterday.
 */
export function addSignIns(store: CloudStore, rows: number): void {
  const tenant = store.directory.tenant(SCAN_HOME_TENANT)!;
  const secrets = tenant.applications.all().flatMap((app) => app.passwordCredentials.map((c) => ({ app, keyId: c.keyId })));
  const every = Math.max(1, Math.floor(secrets.length / rows));
  const yesterday = new Date(store.now().getTime() - 86_400_000).toISOString();
  // Straight into the report: recordCredentialUse looks each key up in the list, quadratic at this size.
  for (let i = 0; i < secrets.length && tenant.record.credentialActivity.length < rows; i += every) {
    const { app, keyId } = secrets[i]!;
    tenant.record.credentialActivity.push({
      keyId,
      keyType: 'clientSecret',
      appId: app.appId,
      appObjectId: app.id,
      servicePrincipalObjectId: null,
      resourceId: null,
      credentialOrigin: 'application',
      createdDateTime: yesterday,
      expirationDateTime: yesterday,
      lastSignInDateTime: yesterday,
      lastSignInRequestId: `${keyId}-signin`,
    });
  }
}

/** `tenants` tenants of `apps` applications each; Vigil's multi-tenant app is consented in all of them. */
export function manyTenantsScenario(tenants: number, apps: number): Scenario {
  return {
    tenants: Array.from({ length: tenants }, (_, t) => ({
      id: benchTenantId(t),
      displayName: `Bench tenant ${t}`,
      defaultDomain: `bench${t}.onmicrosoft.com`,
      applications: t === 0 ? [vigil, ...generatedApps(apps - 1)] : generatedApps(apps),
      servicePrincipals: t === 0 ? [] : [{ application: 'Vigil', roles: { [GRAPH]: vigil.roles[GRAPH] } }],
      microsoftServicePrincipals: MICROSOFT_SERVICE_PRINCIPALS,
    })),
    vaults: [vault],
  };
}
