import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRequest } from '../../functions/azureFunctions.js';
import type { FunctionDefinition } from '../../functions/FunctionDefinition.js';
import { listFindings } from '../../functions/listFindings.js';
import { scanPlannerTimer } from '../../functions/scanPlannerTimer.js';
import { scanTenantQueue } from '../../functions/scanTenantQueue.js';
import { createInvocationContext } from '../../local/devhost/invocationContext.js';
import { pollQueuesOnce } from '../../local/devhost/runQueueFunctions.js';
import { createTableEventLog } from '../../shared/adapters/storage/tableEventLog.js';
import { startTestStack, type TestStack } from '../support/startTestStack.js';
import { OTHER_TENANT, TENANT } from '../support/testScenario.js';
import { GOV_TENANT, scannerScenario, scannerTenants } from '../shared/scanner/scannerScenario.js';
import { timerArgument } from '../../local/devhost/runTimerFunctions.js';

let stack: TestStack;
const logs: string[] = [];
const sink = (_name: string, level: string, message: string) => void logs.push(`${level}: ${message}`);
const timer = timerArgument(null);

beforeAll(async () => {
  stack = await startTestStack({ scenario: scannerScenario(), settings: { VIGIL_TENANTS: scannerTenants() } });
});
afterAll(async () => stack.stop());

const runScanCycle = async () => {
  if (scanPlannerTimer.kind !== 'timer') throw new Error('scanPlannerTimer is a timer');
  await scanPlannerTimer.handler(timer, createInvocationContext('scanPlannerTimer', sink), stack.runtime);
  return pollQueuesOnce([scanTenantQueue], stack.runtime, (name) => stack.runtime.queue(name), sink);
};
const events = () => createTableEventLog(stack.runtime.table('events')).list();

const get = async (query: string, headers: Record<string, string> = {}) => {
  const definition: FunctionDefinition = listFindings;
  if (definition.kind !== 'http') throw new Error('listFindings is an HTTP function');
  const authorized = { authorization: `Bearer ${await stack.apiToken()}`, ...headers };
  const response = await definition.handler(
    new HttpRequest({ method: 'GET', url: `http://localhost/api/findings${query}`, headers: authorized }),
    createInvocationContext('listFindings', sink),
    stack.runtime,
  );
  return {
    status: response.status,
    headers: new Headers(response.headers),
    json: response.jsonBody as Record<string, unknown> | undefined,
    body: response.body,
  };
};

describe('the expiry scan through the queue, on the dev host', () => {
  it('queues one message per tenant and scans each; one tenant failing never stops the others', async () => {
    expect(await runScanCycle()).toBe(3);
    expect(logs).toContainEqual(
      expect.stringMatching(
        /^warning: could not scan Fabrikam: Graph refused to list applications .*\(missing Application\.Read\.All\); 0 earlier findings kept$/,
      ),
    );
    // 13 on the expiry ladder and 3 hygiene findings (secrets valid longer than 180 days on apps Vigil reports on).
    expect(await stack.runtime.scanner.findings.list(TENANT)).toHaveLength(16);
    expect(await stack.runtime.scanner.findings.list(GOV_TENANT)).toHaveLength(1);
    const failed = (await events()).filter((e) => e.type === 'scan.failed');
    expect(failed.map((e) => [e.tenantId, e.data])).toEqual([
      [OTHER_TENANT, expect.objectContaining({ missingPermission: 'Application.Read.All' })],
    ]);
  });

  it('does no harm when run again: no credential event repeats', async () => {
    const before = (await events()).filter((e) => e.type.startsWith('credential.')).length;
    expect(await runScanCycle()).toBe(3);
    expect((await events()).filter((e) => e.type.startsWith('credential.')).length).toBe(before);
  });

  it('scans the tenant a message names, in whatever case, and drops, loudly, one for a tenant not configured', async () => {
    const definition: FunctionDefinition = scanTenantQueue;
    if (definition.kind !== 'storageQueue') throw new Error('scanTenantQueue is a queue function');
    const { handler } = definition;
    const handle = (tenantId: string) => handler({ tenantId }, createInvocationContext('scanTenantQueue', sink), stack.runtime);
    // Tenant ids are compared without case: the message's upper-case id names the tenant configured in lower case.
    // Handled twice, so the second is a delta scan whether or not the tests above ran: the first records the baseline.
    await handle(GOV_TENANT.toUpperCase());
    const from = logs.length; // the earlier lines stay for the secret check below
    await handle(GOV_TENANT.toUpperCase());
    // A delta scan, announcing nothing again: its one event is scan.completed.
    expect(logs.slice(from)).toContainEqual(expect.stringMatching(/^information: scanned Contoso Federal \(delta\): .*, 1 events$/));
    await handle('00000000-0000-0000-0000-00000000beef');
    expect(logs.slice(from)).toContainEqual(
      expect.stringMatching(/^warning: ignored a scan message for a tenant that is not in VIGIL_TENANTS: .*beef/),
    );
  });
});

describe('GET /api/findings', () => {
  it('filters by tenant, severity and days left, most severe and soonest first', async () => {
    const { status, json } = await get(`?tenant=${TENANT}&severity=high,critical&maxDaysLeft=7`);
    expect(status).toBe(200);
    const rows = json!['value'] as Array<Record<string, unknown>>;
    expect(rows.map((r) => [r['subject'], r['severity'], r['daysLeft'], r['tenantName']])).toEqual([
      ['App expired', 'critical', -12, 'Contoso'],
      ['App 02', 'critical', 2, 'Contoso'],
      // Same days left: by end time to the millisecond, as the store orders them.
      ['partner-api-key', 'high', 5, 'Contoso'],
      ['App 05', 'high', 5, 'Contoso'],
      ['App 90', 'high', 5, 'Contoso'],
    ]);
    expect(json!['unscanned']).toEqual([]);
  });

  it('lists the tenants that could not be scanned beside the findings', async () => {
    const { json } = await get('');
    expect((json!['value'] as unknown[]).length).toBe(17);
    expect(json!['nextLink']).toBeUndefined();
    expect(json!['unscanned']).toEqual([
      {
        tenantId: OTHER_TENANT,
        tenantName: 'Fabrikam',
        reason: expect.stringMatching(/HTTP 403/),
        missingPermission: 'Application.Read.All',
        since: expect.any(String),
      },
    ]);
  });

  it('answers CSV for format=csv or Accept: text/csv, with a could-not-check row', async () => {
    for (const response of [await get('?format=csv'), await get('', { accept: 'text/csv' })]) {
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-store');
      const lines = String(response.body).trimEnd().split('\r\n');
      expect(lines[0]).toBe(
        'status,severity,tenantName,tenantId,subject,subjectKind,appId,objectId,credentialType,credentialName,keyId,endDateTime,daysLeft,threshold,overlap,vaultCopy,portalUrl,id,usage,lastSignIn,advice,impact,hygiene,note',
      );
      expect(lines).toHaveLength(1 + 17 + 1);
      expect(lines.at(-1)).toMatch(
        new RegExp(`^could-not-check,high,Fabrikam,${OTHER_TENANT},.*missing permission Application\\.Read\\.All; since `),
      );
      expect(lines.find((l) => l.includes(',Copied app,'))).toMatch(/,copied-app-secret \(stale\),https:\/\/portal\.azure\.com\//);
    }
  });

  it('answers 400 with a problem document naming each bad parameter', async () => {
    const response = await get('?severity=urgent&maxDaysLeft=soon&color=red&$tpo=5');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = JSON.parse(String(response.body)) as {
      title: string;
      detail: string;
      errors: Array<{ field: string; message: string }>;
    };
    expect(problem.title).toBe('Invalid query');
    // Each unknown parameter is named by itself, as a misspelt one must be to be found.
    expect(problem.errors.map((e) => e.field).sort()).toEqual(['$tpo', 'color', 'maxDaysLeft', 'severity']);
    expect(problem.errors.find((e) => e.field === 'color')?.message).toBe('Unknown parameter');
    expect(problem.detail).toContain('$tpo: Unknown parameter');
  });

  it('never carries a secret value', async () => {
    const { json } = await get('');
    const text = JSON.stringify(json) + String((await get('?format=csv')).body) + JSON.stringify(await events()) + logs.join('\n');
    for (const secret of ['vigil-test-secret-value', 'partner-api-key-value']) expect(text).not.toContain(secret);
  });
});
