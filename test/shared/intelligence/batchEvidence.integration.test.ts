import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphStats } from '../../../local/cloud/graph/createGraphApp.js';
import type { Scenario } from '../../../local/cloud/scenario/scenarioSchema.js';
import { createVigilFaultLog } from '../../../shared/adapters/http/createVigilFaultLog.js';
import { createDirectoryPager } from '../../../shared/adapters/graph/createDirectoryPager.js';
import type { Finding } from '../../../shared/scanner/Finding.js';
import { scanTenant } from '../../../shared/scanner/scanTenant.js';
import { startTestStack, type TestStack } from '../../support/startTestStack.js';
import { GRAPH, TENANT, vigilScannerApp } from '../../support/testScenario.js';
import { leaseScanState } from '../../support/leaseScanState.js';

const APPS = 150;
/** Directory pages this small put a few apps with findings on each page, as 999 a page do in a tenant of thousands. */
const PAGE_SIZE = 10;
const OWNER = 'owner@contoso.onmicrosoft.com';

const flagged = (i: number) => i % 7 === 0;
const signedIn = (i: number) => i % 14 === 7;
const certified = (i: number) => i % 35 === 3;
const owned = (i: number) => i % 3 === 0;
const name = (i: number) => `Messy ${String(i).padStart(3, '0')}`;

/**
 * A messy tenant: one app in 7 holds a secret expired or ending within the ladder (some of them two, some
 * used yesterday), a few others a certificate about to end; a third of the apps have an owner.
 */
function messyTenant(): Scenario {
  const generated = Array.from({ length: APPS }, (_, i) => ({
    displayName: name(i),
    passwordCredentials: [
      {
        displayName: 'main',
        end: { inDays: flagged(i) ? (i % 2 === 0 ? -30 : 20) : 400 },
        ...(signedIn(i) ? { lastSignIn: { inDays: -1 } } : {}),
      },
      ...(i % 21 === 0 ? [{ displayName: 'old', end: { inDays: 5 } }] : []),
    ],
    keyCredentials: certified(i) ? [{ displayName: 'signing', end: { inDays: 12 } }] : [],
    servicePrincipal: false,
    owners: owned(i) ? [OWNER] : [],
  }));
  const vigil = vigilScannerApp();
  return {
    tenants: [
      {
        id: TENANT,
        displayName: 'Contoso',
        defaultDomain: 'contoso.onmicrosoft.com',
        users: [{ userPrincipalName: OWNER }],
        applications: [{ ...vigil, roles: { [GRAPH]: ['Application.Read.All', 'AuditLog.Read.All'] } }, ...generated],
      },
    ],
    vaults: [{ name: 'messy-vault', tenant: TENANT, allowedApps: ['Vigil'] }],
  };
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ scenario: messyTenant() });
});
afterAll(async () => stack.stop());

/** One scan of the messy tenant at `now` (the local cloud's clock, plus `laterHours`), through pages of 10: its outcome, Graph requests and stored findings. */
async function scanAt(laterHours: number) {
  const runtime = stack.runtime;
  const tenant = runtime.scanner.tenants[0]!;
  const timing = { sleep: async () => undefined, nowMs: () => performance.now() };
  const { target, deps } = runtime.scanner.scanOf(tenant, timing);
  const warnings: string[] = [];
  const pager = createDirectoryPager({
    connect: () => runtime.scanner.clients.connect(tenant),
    ...timing,
    pageSize: PAGE_SIZE,
    vigilFaultLog: createVigilFaultLog((line) => warnings.push(line)),
  });
  const before = graphStats(stack.cloud.context).byTenant[TENANT]?.requests ?? 0;
  const now = DateTime.fromJSDate(stack.cloud.context.store.now()).toUTC().plus({ hours: laterHours });
  const outcome = await scanTenant(target, { ...deps, pager, events: { publish: async () => undefined } }, runtime.scanner.policy, now);
  const requests = (graphStats(stack.cloud.context).byTenant[TENANT]?.requests ?? 0) - before;
  expect(warnings).toEqual([]);
  return { outcome, requests, findings: await runtime.scanner.findings.list(TENANT) };
}

const apps = Array.from({ length: APPS }, (_, i) => i);
// 22 apps with a secret on the ladder, 5 with a certificate, whose 430-day secret is then a hygiene
// finding too: usage and owners (read for client secrets) for 27 apps each.
const asked = apps.filter((i) => flagged(i) || certified(i)).length;
// The directory (Vigil and 150 apps, 10 a page; Vigil's service principal), the default and assigned
// app management policies (asked together; both refused, Vigil has no Policy.Read.All here), the federated
// apps; then owners for 27 apps, 15 a request: 2; and usage in 1: the report's first page, read as the
// first finding asks, holds the whole report (a handful of sign-ins), where 15 apps a request took 2 (24 in
// all, where asking page by page took 39). The daily scan reads it whole at once: the state says one page.
const directoryPages = Math.ceil((APPS + 1) / PAGE_SIZE) + 1;
const fewestRequests = directoryPages + 4 + 1 + Math.ceil(asked / 15);

/** What a finding's evidence says, by subject and credential. */
const evidenceOf = (findings: readonly Finding[]) =>
  Object.fromEntries(findings.map((f) => [`${f.subjectName}/${f.credentialName}`, { usage: f.usage?.kind, owners: f.impact?.owners }]));

let firstFindings: Finding[] = [];

describe("a full scan's evidence, batched across the directory's pages", () => {
  it('reads owners 15 apps a request over the whole read and a one-page usage report once, not one request per page, and stores each finding with its evidence', async () => {
    const { outcome, requests, findings } = await scanAt(0);
    expect(outcome).toMatchObject({ kind: 'checked', baseline: true, applications: APPS + 1 });
    expect(requests).toBe(fewestRequests);

    const findingOf = (i: number, credential: string) => findings.find((f) => f.subjectName === name(i) && f.credentialName === credential);
    expect(findings).toHaveLength(
      apps.filter(flagged).length + apps.filter((i) => i % 21 === 0).length + 2 * apps.filter(certified).length,
    );
    // Every finding was stored with its evidence, whichever page it was read on.
    for (const i of apps.filter(flagged)) {
      const secret = findingOf(i, 'main')!;
      expect(secret.usage?.kind, name(i)).toBe(signedIn(i) ? 'used' : 'unused');
      expect(secret.impact?.owners, name(i)).toEqual(owned(i) ? [OWNER] : []);
    }
    expect(findingOf(3, 'signing')!.usage?.kind).toBe('unused');
    firstFindings = findings;
  });

  it("reads a daily full scan's evidence beside its pages too: the same evidence on every finding, in as many requests", async () => {
    expect(firstFindings).not.toEqual([]);
    const { outcome, requests, findings } = await scanAt(25);
    expect(outcome).toMatchObject({ kind: 'checked', mode: 'full', baseline: false, applications: APPS + 1 });
    expect(requests).toBe(fewestRequests);
    expect(evidenceOf(findings)).toEqual(evidenceOf(firstFindings));
  });

  it("keeps the usage report's size on the scan state: the next full scan chooses by it, with no first page to learn it", async () => {
    const { states, policy } = stack.runtime.scanner;
    const later = DateTime.fromJSDate(stack.cloud.context.store.now())
      .toUTC()
      .plus({ hours: 25 + policy.fullScanEveryHours });
    const kept = await leaseScanState(states, TENANT, later, 'look');
    if (kept.kind !== 'acquired') throw new Error('the tenant is busy');
    expect(kept.state.usageReport).toEqual({ pages: 1, more: false });
    // As if an earlier full scan had found a next link after the report's fourth page.
    await states.release(kept.lease, { ...kept.state, usageReport: { pages: 4, more: true } });

    const { faults } = stack.cloud.context;
    const counter = faults.add({ service: 'graph', path: '/beta/reports/', action: { kind: 'latency', ms: 0 }, times: 1e9 });
    const asked = () => 1e9 - (faults.list().find((f) => f.id === counter)?.remaining ?? 1e9);
    try {
      const { outcome, findings } = await scanAt(25 + policy.fullScanEveryHours);
      expect(outcome).toMatchObject({ kind: 'checked', mode: 'full', baseline: false });
      // 27 apps ask for usage: 2 requests by app, fewer than the 5 pages or more the state says the report
      // takes (nor do the pages' share of apps asking, projected onto the 151 apps the state counted, come
      // near that), so no first page is read to learn its size afresh (which would make 3).
      expect(asked()).toBe(2);
      expect(evidenceOf(findings)).toEqual(evidenceOf(firstFindings));
    } finally {
      faults.clear();
    }
    const after = await leaseScanState(states, TENANT, later, 'look again');
    if (after.kind !== 'acquired') throw new Error('the tenant is busy');
    expect(after.state.usageReport).toEqual({ pages: 4, more: true });
    expect(after.state.tenantApplications).toBe(APPS + 1);
    await states.release(after.lease, after.state);
  });
});
