import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanPlannerTimer } from '../../functions/scanPlannerTimer.js';
import { scanTenantQueue } from '../../functions/scanTenantQueue.js';
import { createInvocationContext } from '../../local/devhost/invocationContext.js';
import { pollQueuesOnce } from '../../local/devhost/runQueueFunctions.js';
import type { Scenario } from '../../local/cloud/scenario/scenarioSchema.js';
import { selfSignedCertificate, type TestCertificate } from '../support/selfSignedCertificate.js';
import { startTestStack, type TestStack } from '../support/startTestStack.js';
import { GRAPH, OTHER_TENANT, TENANT, vigilScannerApp } from '../support/testScenario.js';
import { timerArgument } from '../../local/devhost/runTimerFunctions.js';

const VAULT = 'cert-vault';
const VIGIL_APP_ID = 'aaaaaaaa-0000-4000-8000-00000000000c';
const CERT_SECRET = 'vigil-northwind-certificate';

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
    vaults: [{ name: VAULT, tenant: TENANT, allowedApps: ['Vigil'], secrets: [] }],
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

let stack: TestStack;
let certificate: TestCertificate;
const logs: string[] = [];
const sink = (_name: string, level: string, message: string) => void logs.push(`${level}: ${message}`);
const timer = timerArgument(null);

beforeAll(async () => {
  [stack, certificate] = await Promise.all([
    startTestStack({ scenario: certificateScenario(), settings: { VIGIL_TENANTS: tenants } }),
    selfSignedCertificate('vigil-scanner'),
  ]);
  // As an admin would: upload the public certificate to Vigil's app, keep key and certificate in Key Vault.
  await stack.admin('/admin/applications/Vigil/key-credentials', { certificate: certificate.certificatePem });
  await stack.secretClient(VAULT).setSecret(CERT_SECRET, certificate.pem, { contentType: 'application/x-pem-file' });
});
afterAll(async () => stack.stop());

const runScanCycle = async () => {
  if (scanPlannerTimer.kind !== 'timer') throw new Error('scanPlannerTimer is a timer');
  await scanPlannerTimer.handler(timer, createInvocationContext('scanPlannerTimer', sink), stack.runtime);
  return pollQueuesOnce([scanTenantQueue], stack.runtime, (name) => stack.runtime.queue(name), sink);
};

describe('a tenant Vigil signs in to with a certificate from Key Vault', () => {
  it('is scanned through its own token endpoint, and its findings are complete', async () => {
    expect(await runScanCycle()).toBe(2);

    const findings = await stack.runtime.scanner.findings.list(OTHER_TENANT);
    expect(findings.map((f) => [f.subjectName, f.daysLeft, f.severity])).toEqual([['Northwind courier', 5, 'high']]);
    expect(logs.filter((l) => l.startsWith('warning') || l.startsWith('error'))).toEqual([]);
  });

  it('is reported as could-not-scan, naming the Key Vault secret, when the certificate is no longer accepted', async () => {
    const other = await selfSignedCertificate('replaced');
    await stack.secretClient(VAULT).setSecret(CERT_SECRET, other.pem);
    const runtime = stack.runtimeWith({});

    if (scanPlannerTimer.kind !== 'timer') throw new Error('scanPlannerTimer is a timer');
    await scanPlannerTimer.handler(timer, createInvocationContext('scanPlannerTimer', sink), runtime);
    await pollQueuesOnce([scanTenantQueue], runtime, (name) => runtime.queue(name), sink);

    expect(logs).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^warning: could not scan Northwind: sign-in to the tenant failed \\(AADSTS700027\\) as app ${VIGIL_APP_ID} with the certificate in Key Vault secret "${CERT_SECRET}" \\(https://`,
        ),
      ),
    );
    expect(await runtime.scanner.findings.list(OTHER_TENANT)).toHaveLength(1);
    for (const line of logs) expect(line).not.toContain('PRIVATE KEY');
  });
});
