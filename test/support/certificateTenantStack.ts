import type { Scenario } from '../../local/cloud/scenario/scenarioSchema.js';
import { selfSignedCertificate } from './selfSignedCertificate.js';
import { startTestStack, type TestStack } from './startTestStack.js';
import { GRAPH, OTHER_TENANT, TENANT, vigilScannerApp } from './testScenario.js';

export const CERT_VAULT = 'cert-vault';
export const VIGIL_APP_ID = 'aaaaaaaa-0000-4000-8000-00000000000c';
export const CERT_SECRET = 'vigil-northwind-certificate';

/** Contoso is home; Northwind consented to Vigil's multi-tenant app, which signs in there with a certificate. */
function certificateScenario(): Scenario {
  return {
    tenants: [
      {
        id: TENANT,
        displayName: 'Contoso',
        defaultDomain: 'contoso.onmicrosoft.com',
        applications: [vigilScannerApp(VIGIL_APP_ID)],
      },
      {
        id: OTHER_TENANT,
        displayName: 'Northwind',
        defaultDomain: 'northwind.onmicrosoft.com',
        applications: [{ displayName: 'Northwind courier', passwordCredentials: [{ displayName: 'main', end: { inDays: 5 } }] }],
        servicePrincipals: [{ application: 'Vigil', roles: { [GRAPH]: ['Application.Read.All'] } }],
      },
    ],
    vaults: [{ name: CERT_VAULT, tenant: TENANT, allowedApps: ['Vigil'], secrets: [] }],
  };
}

const tenants = JSON.stringify([
  { tenantId: TENANT, displayName: 'Contoso', auth: { kind: 'managedIdentity' } },
  {
    tenantId: OTHER_TENANT,
    displayName: 'Northwind',
    auth: { kind: 'certificate', clientId: VIGIL_APP_ID, keyVaultSecretName: CERT_SECRET },
  },
]);

/**
 * A stack whose second tenant (Northwind) Vigil signs in to as its multi-tenant app, with a certificate kept in
 * Key Vault: uploaded to the app and stored in the vault as an admin would.
 */
export async function startCertificateTenantStack(): Promise<TestStack> {
  const [stack, certificate] = await Promise.all([
    startTestStack({ scenario: certificateScenario(), settings: { VIGIL_TENANTS: tenants } }),
    selfSignedCertificate('vigil-scanner'),
  ]);
  await stack.admin('/admin/applications/Vigil/key-credentials', { certificate: certificate.certificatePem });
  await stack.secretClient(CERT_VAULT).setSecret(CERT_SECRET, certificate.pem, { contentType: 'application/x-pem-file' });
  return stack;
}
