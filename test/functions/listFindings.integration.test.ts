import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRequest } from '../../functions/azureFunctions.js';
import type { FunctionDefinition } from '../../functions/FunctionDefinition.js';
import { listFindings } from '../../functions/listFindings.js';
import { createInvocationContext } from '../../local/devhost/invocationContext.js';
import { evaluateCredential } from '../../shared/scanner/evaluateCredential.js';
import { DateTime } from 'luxon';
import { facts, policy } from '../shared/scanner/scannerFixtures.js';
import { startTestStack, type TestStack } from '../support/startTestStack.js';
import { OTHER_TENANT, TENANT } from '../support/testScenario.js';

let stack: TestStack;
const sink = () => undefined;
const COUNT = 10_000;

beforeAll(async () => {
  stack = await startTestStack();
  // 10,000 findings over two tenants, ending on 120 instants a day apart, from 60 days ago to 59 days ahead (each an hour
  // past the whole day, so the days left do not move while the pages are read), about 83 findings on each instant.
  // Certificates: the store keeps a finding in the index and its tenant's rows, which the list reads, and a client
  // secret's in the by-app rows too, which it does not; here those were two thirds of the setup's time in Azurite.
  const now = DateTime.utc();
  for (const tenantId of [TENANT, OTHER_TENANT]) {
    const findings = Array.from({ length: COUNT / 2 }, (_, i) => {
      const endDateTime = now.plus({ days: (i % 120) - 60, hours: 1 }).toISO();
      return evaluateCredential(
        facts({ tenantId, objectId: `o${i}`, keyId: `k${i}`, subjectName: `App ${i}`, credentialType: 'certificate', endDateTime }),
        policy,
        now,
      )!;
    });
    await stack.runtime.scanner.findings.apply(tenantId, { upserts: findings, removals: [], before: new Map() });
  }
}, 120_000);
afterAll(async () => stack.stop());

const get = async (url: string) => {
  const definition: FunctionDefinition = listFindings;
  if (definition.kind !== 'http') throw new Error('listFindings is an HTTP function');
  const response = await definition.handler(
    new HttpRequest({ method: 'GET', url, headers: { authorization: `Bearer ${await stack.apiToken()}` } }),
    createInvocationContext('listFindings', sink),
    stack.runtime,
  );
  return { status: response.status, json: response.jsonBody as Page | undefined, body: response.body };
};
interface Page {
  value: Array<{ id: string; severity: string; daysLeft: number }>;
  nextLink?: string;
  unscanned: unknown[];
}
const severityOrder = ['critical', 'high', 'medium', 'low', 'info'];

describe('GET /api/findings, a page at a time', () => {
  it('pages through 10,000 findings by nextLink with no duplicate or gap, most urgent first, and CSV holds the same', async () => {
    const ids: string[] = [];
    const pages: Page[] = [];
    for (let url: string | undefined = 'http://localhost/api/findings?$top=1000'; url;) {
      const { status, json } = await get(url);
      expect(status).toBe(200);
      expect(json!.value.length).toBeLessThanOrEqual(1000);
      pages.push(json!);
      ids.push(...json!.value.map((r) => r.id));
      url = json!.nextLink;
      if (url) expect(url).toMatch(/^http:\/\/localhost\/api\/findings\?.*\$top=1000.*\$skipToken=/);
    }
    expect(ids).toHaveLength(COUNT);
    expect(new Set(ids).size).toBe(COUNT);
    const rows = pages.flatMap((p) => p.value);
    const rank = rows.map((r) => severityOrder.indexOf(r.severity));
    expect(rank).toEqual([...rank].sort((a, b) => a - b));
    // Most urgent first is the most severe first, then the soonest end (findingKeys.ts): within each severity, across
    // every page, the days left never go down.
    for (const severity of severityOrder) {
      const daysLeft = rows.filter((r) => r.severity === severity).map((r) => r.daysLeft);
      expect(daysLeft, severity).toEqual([...daysLeft].sort((a, b) => a - b));
    }

    const csv = String((await get('http://localhost/api/findings?format=csv')).body)
      .trimEnd()
      .split('\r\n');
    const header = csv[0]!.split(',');
    const idColumn = header.indexOf('id');
    expect(csv.slice(1).map((line) => line.split(',')[idColumn])).toEqual(ids);
  });

  it('keeps the filters on every page, and refuses a token from another query with a problem document', async () => {
    const first = await get(`http://localhost/api/findings?tenant=${TENANT}&severity=critical,high&$top=50`);
    expect(first.json!.value.every((r) => ['critical', 'high'].includes(r.severity))).toBe(true);
    const next = new URL(first.json!.nextLink!);
    expect(next.searchParams.get('tenant')).toBe(TENANT);
    const second = await get(next.toString());
    expect(second.json!.value.map((r) => r.id)).not.toContain(first.json!.value[0]!.id);

    next.searchParams.set('severity', 'low');
    const refused = await get(next.toString());
    expect(refused.status).toBe(400);
    expect(JSON.parse(String(refused.body))).toMatchObject({ title: 'Invalid query', errors: [{ field: '$skipToken' }] });
    expect((await get('http://localhost/api/findings?$top=5000')).status).toBe(400);
  });
});
