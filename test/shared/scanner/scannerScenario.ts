import type { Scenario } from '../../../local/cloud/scenario/scenarioSchema.js';
import { GRAPH, OTHER_TENANT, TENANT, vigilScannerApp } from '../../support/testScenario.js';

export const GOV_TENANT = '3333abcd-3333-4333-8333-33333333abcd';
export const VIGIL_APP_ID = 'aaaaaaaa-0000-4000-8000-000000000001';
export const VIGIL_GOV_APP_ID = 'aaaaaaaa-0000-4000-8000-000000000002';
export const COPIED_APP_ID = 'aaaaaaaa-0000-4000-8000-000000000003';
export const COPIED_OLD_KEY = 'bbbbbbbb-0000-4000-8000-000000000001';
export const SCAN_VAULT = 'scan-vault';

const secret = (displayName: string, inDays: number) => ({ displayName, end: { inDays } });
const app = (displayName: string, ...passwordCredentials: Array<ReturnType<typeof secret>>) => ({ displayName, passwordCredentials });

type ScenarioApp = NonNullable<Scenario['tenants'][number]['applications']>[number];

/** Contoso Federal (US Gov) with its own Vigil registration, holding `vigilRoles` on the US Gov Graph, and `apps`. */
export function contosoFederal(vigilRoles: string[], ...apps: ScenarioApp[]): Scenario['tenants'][number] {
  return {
    id: GOV_TENANT,
    displayName: 'Contoso Federal',
    cloud: 'usgov',
    defaultDomain: 'contosofederal.onmicrosoft.us',
    applications: [
      {
        displayName: 'Vigil Gov',
        appId: VIGIL_GOV_APP_ID,
        passwordCredentials: [secret('vigil-gov', 300)],
        roles: { 'https://graph.microsoft.us': vigilRoles },
      },
      ...apps,
    ],
  };
}

/**
 * Contoso (global, scanned with Vigil's own identity): one app per ladder step, an overlap, a stale
 * leftover, a certificate, a vault copy gone stale, a SAML app and a service principal's own secret.
 * Fabrikam (global): Vigil's multi-tenant app is consented there without Application.Read.All.
 * Contoso Federal (US Gov): its own Vigil registration, reached through the US Gov hosts.
 */
export function scannerScenario(): Scenario {
  return {
    tenants: [
      {
        id: TENANT,
        displayName: 'Contoso',
        defaultDomain: 'contoso.onmicrosoft.com',
        applications: [
          vigilScannerApp(VIGIL_APP_ID),
          app('App 90', secret('main', 90)),
          app('App 45', secret('main', 45)),
          app('App 20', secret('main', 20)),
          app('App 10', secret('main', 10)),
          app('App 05', secret('main', 5)),
          app('App 02', secret('main', 2)),
          app('App expired', secret('main', -12)),
          app('Overlap app', secret('old', 10), secret('new', 200)),
          app('Stale app', secret('old', -45), secret('current', 300)),
          { displayName: 'Cert app', keyCredentials: [{ displayName: 'CN=cert-app', end: { inDays: 20 } }] },
          {
            displayName: 'Copied app',
            appId: COPIED_APP_ID,
            passwordCredentials: [{ ...secret('old', 10), keyId: COPIED_OLD_KEY }, secret('new', 200)],
          },
        ],
        servicePrincipals: [
          { application: 'Contoso SAML', preferredSingleSignOnMode: 'saml', samlSigningCertificateEnd: { inDays: 25 } },
          { application: 'App 90', passwordCredentials: [secret('sp-secret', 5)] },
        ],
      },
      {
        id: OTHER_TENANT,
        displayName: 'Fabrikam',
        defaultDomain: 'fabrikam.onmicrosoft.com',
        applications: [{ displayName: 'Contoso SAML', servicePrincipal: false }, app('Fabrikam app', secret('main', 5))],
        servicePrincipals: [{ application: 'Vigil', roles: { [GRAPH]: [] } }],
      },
      contosoFederal(
        ['Application.Read.All'],
        app('Gov app', secret('main', 20)),
        // Half a day above the ladder's top rung (60): time alone brings it on between two full reads.
        app('Gov soon', secret('main', 60.5)),
      ),
    ],
    vaults: [
      {
        name: SCAN_VAULT,
        tenant: TENANT,
        allowedApps: ['Vigil'],
        secrets: [
          { name: 'vigil-fabrikam', value: { clientSecret: { application: 'Vigil', credential: 'vigil' } } },
          { name: 'vigil-gov', value: { clientSecret: { application: 'Vigil Gov', credential: 'vigil-gov' } } },
          {
            name: 'copied-app-secret',
            value: { clientSecret: { application: 'Copied app', credential: 'old' } },
            tags: { 'vigil-app-id': COPIED_APP_ID, 'vigil-key-id': COPIED_OLD_KEY },
          },
          { name: 'partner-api-key', value: { literal: 'partner-api-key-value-0123456789' }, expires: { inDays: 5 } },
        ],
      },
    ],
  };
}

/** VIGIL_TENANTS for the scenario: the home tenant with Vigil's identity, the others through vault secrets. */
export function scannerTenants(): string {
  return JSON.stringify([
    { tenantId: TENANT, displayName: 'Contoso', auth: { kind: 'managedIdentity' }, routing: { team: 'contoso-ops' } },
    {
      tenantId: OTHER_TENANT,
      displayName: 'Fabrikam',
      auth: { kind: 'clientSecret', clientId: VIGIL_APP_ID, keyVaultSecretName: 'vigil-fabrikam' },
    },
    {
      tenantId: GOV_TENANT,
      displayName: 'Contoso Federal',
      cloud: 'usgov',
      auth: { kind: 'clientSecret', clientId: VIGIL_GOV_APP_ID, keyVaultSecretName: 'vigil-gov' },
    },
  ]);
}
