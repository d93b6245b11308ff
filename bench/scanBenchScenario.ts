import type { Scenario } from '../local/cloud/scenario/scenarioSchema.js';
import { stableGuid } from '../local/cloud/state/credentials.js';

export const SCAN_HOME_TENANT = '5ca05ca0-1111-4222-8333-444455556666';
export const SCAN_VAULT = 'scan-bench';
export const SCAN_VIGIL_SECRET = 'scan-bench-vigil-secret-not-for-production';
export const SCAN_VIGIL_APP_ID = '5ca05ca0-0000-4000-8000-00000000a11d';
/** The multi-tenant app's secret, as the other tenants' configuration names it. */
export const SCAN_TENANT_SECRET = 'vigil-multitenant';
const GRAPH = 'https://graph.microsoft.com';

export const benchTenantId = (t: number) => (t === 0 ? SCAN_HOME_TENANT : stableGuid(`scan-bench/tenant/${t}`));

/** One app in a hundred holds a secret inside the ladder (45 days), the rest one far from it. */
const generatedApps = (count: number, withServicePrincipals: boolean) =>
  Array.from({ length: count }, (_, i) => ({ displayName: `App ${i}`, passwordCredentials: [{ displayName: 'prod', end: { inDays: i % 100 === 0 ? 45 : 400 } }], servicePrincipal: withServicePrincipals }));

const vigil = { displayName: 'Vigil', appId: SCAN_VIGIL_APP_ID, passwordCredentials: [{ displayName: 'vigil', secretText: SCAN_VIGIL_SECRET, end: { inDays: 300 } }], roles: { [GRAPH]: ['Application.Read.All'] } };
const vault = { name: SCAN_VAULT, tenant: SCAN_HOME_TENANT, allowedApps: ['Vigil'], secrets: [{ name: SCAN_TENANT_SECRET, value: { clientSecret: { application: 'Vigil', credential: 'vigil' } } }] };

/**
 * One tenant of `apps` applications plus Vigil. The generated apps have no service principals: the local
 * Graph finds a service principal's application by a linear search, so 100,000 of them would measure the
 * emulator rather than the scanner (Vigil reads service principals exactly as it reads applications).
 */
export function singleTenantScenario(apps: number): Scenario {
  return {
    tenants: [{ id: SCAN_HOME_TENANT, displayName: 'Bench', defaultDomain: 'bench.onmicrosoft.com', applications: [vigil, ...generatedApps(apps, false)] }],
    vaults: [vault],
  };
}

/** `tenants` tenants of `apps` applications each; Vigil's multi-tenant app is consented in all of them. */
export function manyTenantsScenario(tenants: number, apps: number): Scenario {
  return {
    tenants: Array.from({ length: tenants }, (_, t) => ({
      id: benchTenantId(t),
      displayName: `Bench tenant ${t}`,
      defaultDomain: `bench${t}.onmicrosoft.com`,
      applications: t === 0 ? [vigil, ...generatedApps(apps - 1, false)] : generatedApps(apps, false),
      servicePrincipals: t === 0 ? [] : [{ application: 'Vigil', roles: { [GRAPH]: ['Application.Read.All'] } }],
    })),
    vaults: [vault],
  };
}
