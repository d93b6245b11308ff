import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanPlannerTimer } from '../../functions/scanPlannerTimer.js';
import { scanTenantQueue } from '../../functions/scanTenantQueue.js';
import { createInvocationContext } from '../../local/devhost/invocationContext.js';
import { pollQueuesOnce } from '../../local/devhost/runQueueFunctions.js';
import { CERT_SECRET, CERT_VAULT, VIGIL_APP_ID, startCertificateTenantStack } from '../support/certificateTenantStack.js';
import { selfSignedCertificate } from '../support/selfSignedCertificate.js';
import type { TestStack } from '../support/startTestStack.js';
import { OTHER_TENANT } from '../support/testScenario.js';
import { timerArgument } from '../../local/devhost/runTimerFunctions.js';

let stack: TestStack;
const logs: string[] = [];
const sink = (_name: string, level: string, message: string) => void logs.push(`${level}: ${message}`);
const timer = timerArgument(null);

beforeAll(async () => {
  stack = await startCertificateTenantStack();
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
    await stack.secretClient(CERT_VAULT).setSecret(CERT_SECRET, other.pem);
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
