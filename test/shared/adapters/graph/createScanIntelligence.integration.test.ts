import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { graphStats, resetGraphStats } from '../../../../local/cloud/graph/createGraphApp.js';
import { createVigilFaultLog } from '../../../../shared/adapters/http/createVigilFaultLog.js';
import { createScanIntelligence } from '../../../../shared/adapters/graph/createScanIntelligence.js';
import type { CredentialEvidence, EvidenceSample, PageShare, ScanIntelligence } from '../../../../shared/intelligence/ScanIntelligence.js';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';
import { GRAPH, TENANT } from '../../../support/testScenario.js';
import { scenarioWithApps } from '../../../local/cloud/graph/graphTestSupport.js';

const GENERATED = 90;
let t: TestCloud;
let apps: Array<{ id: string; appId: string; keyId: string }>;

beforeAll(async () => {
  const scenario = scenarioWithApps(GENERATED);
  const vigil = scenario.tenants[0]!.applications!.find((a) => a.displayName === 'Vigil')!;
  vigil.roles = { [GRAPH]: ['Application.Read.All', 'AuditLog.Read.All'] };
  t = await startTestCloud({ scenario });
  const { directory } = t.cloud.context.store;
  const tenant = directory.tenant(TENANT)!;
  const generated = tenant.applications.all().filter((a) => a.displayName.startsWith('Generated app'));
  apps = generated.map((a) => ({ id: a.id, appId: a.appId, keyId: a.passwordCredentials[0]!.keyId }));
  const [owned, used] = [generated[0]!, generated[GENERATED - 1]!];
  const helpdesk = tenant.record.users.find((u) => u.userPrincipalName.startsWith('helpdesk@'))!;
  directory.setOwners(owned, [helpdesk.id]);
  directory.recordCredentialUse(tenant, {
    keyId: used.passwordCredentials[0]!.keyId,
    keyType: 'clientSecret',
    appId: used.appId,
    appObjectId: used.id,
    servicePrincipalObjectId: null,
    resourceId: null,
    credentialOrigin: 'application',
    createdDateTime: '2026-01-01T00:00:00Z',
    expirationDateTime: '2027-01-01T00:00:00Z',
    lastSignInDateTime: '2026-11-30T08:00:00Z',
  });
});
afterAll(async () => t.stop());
/** What the reads left in Vigil's log: nothing, where every request can be made. */
const warnings: string[] = [];
afterEach(() => expect(warnings.splice(0)).toEqual([]));

function intelligence(): ScanIntelligence {
  const origin = t.cloud.endpoints.clouds.global!.graph;
  return createScanIntelligence({
    connect: async () => ({ ok: true, graph: t.graphClient(), origin }),
    cloud: 'global',
    sleep: async () => undefined,
    vigilFaultLog: createVigilFaultLog((line) => warnings.push(line)),
  });
}

async function evidenceFor(intel: ScanIntelligence, chosen: typeof apps, read?: EvidenceSample) {
  if (!read) resetGraphStats(t.cloud.context);
  const evidence = await intel.evidence({ appIds: chosen.map((a) => a.appId), applicationObjectIds: chosen.map((a) => a.id), read });
  return { evidence, requests: graphStats(t.cloud.context).byTenant[TENANT]?.requests ?? 0 };
}

/** A page of a full read: `applications` read, of which `withFindings` ask for usage and owners; service principals' findings only usage. */
const pageOf = (applications: number, withFindings: typeof apps, servicePrincipals: readonly string[] = []): PageShare => ({
  applications,
  usageAppIds: [...withFindings.map((a) => a.appId), ...servicePrincipals],
  ownerObjectIds: withFindings.map((a) => a.id),
});

describe('reading owners and usage for the apps with findings', () => {
  it('asks by app, 15 a request, when few of the tenant’s apps have findings', async () => {
    const few = [apps[0]!, apps[GENERATED - 1]!];
    const { evidence, requests } = await evidenceFor(intelligence(), few);
    expect(requests).toBe(2); // one usage request, one owners request
    expect(evidence.owners?.get(apps[0]!.id)).toEqual(['helpdesk@contoso.onmicrosoft.com']);
    expect(evidence.usage.kind === 'read' && evidence.usage.byKeyId.get(apps[GENERATED - 1]!.keyId)?.lastSignIn).toBe(
      '2026-11-30T08:00:00Z',
    );
  });

  it('reads the whole tenant once when most of its apps have findings, and keeps it for the scan’s later pages', async () => {
    const intel = intelligence();
    const { evidence, requests } = await evidenceFor(intel, apps);
    // The tenant's size, the whole usage report (one page of 999) and every app's owners (96 apps: one
    // page of 100), where 15 apps a request would take 6 + 6.
    expect(requests).toBe(3);
    expect(evidence.owners?.get(apps[0]!.id)).toEqual(['helpdesk@contoso.onmicrosoft.com']);
    expect(evidence.owners?.get(apps[1]!.id)).toEqual([]);
    expect(evidence.usage.kind === 'read' && evidence.usage.byKeyId.get(apps[GENERATED - 1]!.keyId)?.lastSignIn).toBe(
      '2026-11-30T08:00:00Z',
    );
    const again = await evidenceFor(intel, apps.slice(0, 40));
    expect(again.requests).toBe(0);
    expect(again.evidence.owners?.get(apps[0]!.id)).toEqual(['helpdesk@contoso.onmicrosoft.com']);
  });

  it('starts the whole-tenant reads beside a full read whose pages point to them, and answers from them once the read is done', async () => {
    const intel = intelligence();
    resetGraphStats(t.cloud.context);
    // A page where 2 apps in 90 have findings: owners by app stay cheaper, and nothing starts for them;
    // the usage report's size is not known, so its first page is read at once.
    intel.anticipate(pageOf(GENERATED, apps.slice(0, 2)));
    await vi.waitFor(() => expect(graphStats(t.cloud.context).byTenant[TENANT]?.requests ?? 0).toBe(1));
    // The next page: every app has findings; the pages so far point to reading the whole tenant's owners
    // (the report's first page was all of it: nothing more to read there).
    intel.anticipate(pageOf(GENERATED, apps));
    await vi.waitFor(() => expect(graphStats(t.cloud.context).byTenant[TENANT]?.requests).toBe(2));
    const { evidence, requests } = await evidenceFor(intel, apps, { kind: 'all', applications: 2 * GENERATED });
    // Then evidence takes them: no size asked, nothing read twice.
    expect(requests).toBe(2);
    expect(evidence.owners?.get(apps[0]!.id)).toEqual(['helpdesk@contoso.onmicrosoft.com']);
  });

  it('samples apps, not findings, on every page: many service-principal findings on few apps start no whole-tenant read', async () => {
    const intel = intelligence();
    // A 1,000-app tenant whose report an earlier scan found to be 8 pages: the apps asking decide.
    intel.recall({ usageReport: { pages: 8, more: false }, tenantApplications: 1000 });
    resetGraphStats(t.cloud.context);
    // A full read of a 1,000-app tenant: 15 apps with findings on each of four pages of 200, none on the fifth.
    for (let page = 0; page < 4; page += 1) intel.anticipate(pageOf(200, apps.slice(15 * page, 15 * page + 15)));
    intel.anticipate(pageOf(200, []));
    // Then the service principals (no applications): those of the same 60 apps, and 40 of Microsoft's, hold certificates ending soon.
    const usageAppIds = [...apps.slice(0, 60).map((a) => a.appId), ...Array.from({ length: 40 }, () => randomUUID())];
    intel.anticipate({ applications: 0, usageAppIds, ownerObjectIds: [] });
    // 100 apps ask for usage: 7 requests by app, where the report takes 8 pages (and the tenant's owners 10).
    // Counting each page's apps instead (60 + 100 = 160: 11 requests), or only the pages with findings, pointed
    // to the whole read, which here (the report now holds 1 row) would have taken 1 request.
    const evidence = await intel.evidence({ appIds: usageAppIds, applicationObjectIds: [], read: { kind: 'sampled' } });
    expect(evidence.usage.kind).toBe('read');
    expect(graphStats(t.cloud.context).byTenant[TENANT]?.requests).toBe(7);
  });
});

describe("learning the usage report's size, and remembering it", () => {
  const REPORT = '/beta/reports/appCredentialSignInActivities';
  /** Counts the usage report's requests (a fault that adds nothing and is never used up). */
  function countReportRequests(): () => number {
    const { faults } = t.cloud.context;
    const id = faults.add({ service: 'graph', path: REPORT, action: { kind: 'latency', ms: 0 }, times: 1e9 });
    return () => 1e9 - (faults.list().find((f) => f.id === id)?.remaining ?? 1e9);
  }
  afterEach(() => t.cloud.context.faults.clear());
  const usageOf = (intel: ScanIntelligence, chosen: readonly string[], read?: EvidenceSample) =>
    intel.evidence({ appIds: chosen, applicationObjectIds: [], read });
  const signInOf = ({ usage }: CredentialEvidence, keyId: string) =>
    usage.kind === 'read' ? usage.byKeyId.get(keyId)?.lastSignIn : undefined;
  const all = { kind: 'all', applications: 1000 } as const;
  const firstAppIds = (n: number) => apps.slice(0, n).map((a) => a.appId);
  /** The next full read's intelligence, recalling what `kept` keeps on the scan state. */
  const nextRead = (kept: ScanIntelligence) => {
    const next = intelligence();
    next.recall({ usageReport: kept.knownUsageReport(), tenantApplications: GENERATED });
    return next;
  };

  it('a full read that does not know the size reads the first page: a one-page report answers every app in 1 request, and is kept', async () => {
    const asked = countReportRequests();
    const intel = intelligence();
    // 60 apps: 4 requests by app; the 1,000-app tenant's share does not point to the whole report.
    const evidence = await usageOf(
      intel,
      apps.slice(30).map((a) => a.appId),
      all,
    );
    expect(asked()).toBe(1);
    expect(signInOf(evidence, apps[GENERATED - 1]!.keyId)).toBe('2026-11-30T08:00:00Z');
    expect(intel.knownUsageReport()).toEqual({ pages: 1, more: false });
  });

  it('starts that first page beside the directory, once, as the first finding asks for usage', async () => {
    const asked = countReportRequests();
    const intel = intelligence();
    intel.anticipate(pageOf(200, apps.slice(0, 1)));
    intel.anticipate(pageOf(200, apps.slice(1, 20)));
    await vi.waitFor(() => expect(asked()).toBe(1));
    const evidence = await usageOf(intel, firstAppIds(20), { kind: 'sampled' });
    expect(evidence.usage.kind).toBe('read');
    expect(asked()).toBe(1);
  });

  it('a full read that recalls the size reads no first page to learn it: the cheaper way straight away', async () => {
    const asked = countReportRequests();
    const longer = intelligence();
    longer.recall({ usageReport: { pages: 1, more: true }, tenantApplications: 1000 });
    // 2 apps asking in 200 of 1,000: about 10 in all, 1 request by app.
    longer.anticipate(pageOf(200, apps.slice(0, 2)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(asked()).toBe(0);
    // 20 apps by app take 2 requests; the report has at least 2 pages.
    await usageOf(longer, firstAppIds(20), all);
    expect(asked()).toBe(2);
    expect(longer.knownUsageReport()).toEqual({ pages: 1, more: true });

    const onePage = intelligence();
    onePage.recall({ usageReport: { pages: 1, more: false }, tenantApplications: 1000 });
    const evidence = await usageOf(onePage, firstAppIds(60), all);
    expect(asked()).toBe(3);
    expect(signInOf(evidence, apps[GENERATED - 1]!.keyId)).toBe('2026-11-30T08:00:00Z');
  });

  it('leaves usage unknown, with the reason, when Graph refuses the first page: never all clear, and nothing kept', async () => {
    // The refusal goes first: it answers the first request for the report, and the counter sees those after it.
    t.cloud.context.faults.add({ service: 'graph', path: REPORT, action: { kind: 'status', status: 403 }, times: 1 });
    const asked = countReportRequests();
    const intel = intelligence();
    const evidence = await usageOf(intel, firstAppIds(20), all);
    expect(evidence.usage).toMatchObject({ kind: 'unavailable', missingPermission: 'AuditLog.Read.All' });
    // The refusal stops the usage reads there: nothing by app after it.
    expect(asked()).toBe(0);
    expect(intel.knownUsageReport()).toBeUndefined();
  });

  it('asks by app when Graph refuses to read the report whole (400, its page size), and keeps no size', async () => {
    t.cloud.context.faults.add({ service: 'graph', path: REPORT, action: { kind: 'status', status: 400 }, times: 1 });
    const asked = countReportRequests();
    const intel = intelligence();
    // 60 apps of a 1,000-app tenant's full read: the first page is refused, then 4 requests by app.
    const evidence = await usageOf(intel, firstAppIds(60), all);
    expect(asked()).toBe(4);
    expect(evidence.usage.kind).toBe('read');
    expect(intel.knownUsageReport()).toBeUndefined();
  });

  describe('a report of more than one page', () => {
    /** Four pages of 999. */
    const ROWS = 3_500;
    let lastKey: string;
    beforeAll(() => {
      const tenant = t.cloud.context.store.directory.tenant(TENANT)!;
      // Other apps' credentials, then one of the generated apps' on the second page.
      const rows: Array<{ appId: string; keyId: string }> = Array.from({ length: ROWS - 2 }, () => ({
        appId: randomUUID(),
        keyId: randomUUID(),
      }));
      lastKey = randomUUID();
      rows.push({ appId: apps[1]!.appId, keyId: lastKey });
      for (const row of rows)
        tenant.record.credentialActivity.push({
          ...row,
          keyType: 'clientSecret',
          appObjectId: randomUUID(),
          servicePrincipalObjectId: null,
          resourceId: null,
          credentialOrigin: 'application',
          createdDateTime: '2026-01-01T00:00:00Z',
          expirationDateTime: '2027-01-01T00:00:00Z',
          lastSignInDateTime: '2026-12-01T09:00:00Z',
          lastSignInRequestId: randomUUID(),
        });
    });
    afterAll(() => {
      const tenant = t.cloud.context.store.directory.tenant(TENANT)!;
      tenant.record.credentialActivity.splice(1);
    });

    it('reads the rest by app when that is cheaper, and keeps "more than 1 page"', async () => {
      const asked = countReportRequests();
      const intel = intelligence();
      const evidence = await usageOf(intel, firstAppIds(20), all);
      // The first page, then 20 apps by app (2): one request more than the fewest, once.
      expect(asked()).toBe(3);
      expect(signInOf(evidence, lastKey)).toBe('2026-12-01T09:00:00Z');
      expect(intel.knownUsageReport()).toEqual({ pages: 1, more: true });
    });

    it('reads on down the report when that is cheaper, reading no page twice, and keeps its page count', async () => {
      const asked = countReportRequests();
      const intel = intelligence();
      // 90 apps of a 90-app tenant: 6 requests by app, against the report's 4 pages.
      const evidence = await usageOf(intel, firstAppIds(GENERATED), { kind: 'all', applications: GENERATED });
      expect(asked()).toBe(4);
      expect(signInOf(evidence, lastKey)).toBe('2026-12-01T09:00:00Z');
      expect(signInOf(evidence, apps[GENERATED - 1]!.keyId)).toBe('2026-11-30T08:00:00Z');
      expect(intel.knownUsageReport()).toEqual({ pages: 4, more: false });

      // The next full read recalls 4 pages: 10 apps take 1 request by app, with no first page.
      const next = nextRead(intel);
      await usageOf(next, firstAppIds(10), { kind: 'all', applications: GENERATED });
      expect(asked()).toBe(5);
    });

    it('stops reading down a report longer than asking by app would take, asks by app, and keeps "more than" the pages it read', async () => {
      const asked = countReportRequests();
      const intel = intelligence();
      // 45 apps: 3 requests by app. The first page, then one more (2 pages: fewer than by app), still a next link.
      const evidence = await usageOf(intel, firstAppIds(45), all);
      expect(asked()).toBe(2 + 3);
      expect(signInOf(evidence, lastKey)).toBe('2026-12-01T09:00:00Z');
      expect(intel.knownUsageReport()).toEqual({ pages: 2, more: true });
      // The next full read asks by app at once: 3 requests, against a report of 3 pages or more.
      const next = nextRead(intel);
      await usageOf(next, firstAppIds(45), all);
      expect(asked()).toBe(5 + 3);
    });

    /** Graph requests of any kind this tenant has had since the last reset. */
    const requests = () => graphStats(t.cloud.context).byTenant[TENANT]?.requests ?? 0;
    /** A page whose findings ask for usage only (service principals' certificates), so no owners' read joins in. */
    const usagePage = (applications: number, asking: typeof apps): PageShare => ({ ...pageOf(applications, asking), ownerObjectIds: [] });

    it('a first full read that finds the report longer than a page counts the tenant once, and reads on where its share projects more requests by app', async () => {
      const asked = countReportRequests();
      resetGraphStats(t.cloud.context);
      const intel = intelligence();
      // Half the apps on the first pages have findings that ask for usage: the first finding starts the first page.
      intel.anticipate(usagePage(10, apps.slice(0, 5)));
      await vi.waitFor(() => expect(intel.knownUsageReport()).toEqual({ pages: 1, more: true }), { timeout: 5_000 });
      // It has a next link. 10 apps asking take 1 request by app, and nothing says how many apps the tenant
      // holds: its count, once, beside the directory.
      intel.anticipate(usagePage(10, apps.slice(5, 10)));
      await vi.waitFor(() => expect(requests()).toBe(2), { timeout: 5_000 });
      // 20 apps asking in the first 30 of the tenant's 90 or more project 60 or more (5 requests by app): the
      // report is read on, to at most 4 pages, and it ends there. Without the count, 20 apps (2 requests) would not.
      intel.anticipate(usagePage(10, apps.slice(10, 20)));
      // (Until the count's answer is in, each page, here a page of service principals without findings, waits for it.)
      await vi.waitFor(
        () => {
          intel.anticipate(usagePage(0, []));
          expect(asked()).toBe(4);
        },
        { timeout: 5_000 },
      );
      const evidence = await usageOf(intel, firstAppIds(20), { kind: 'sampled' });
      expect(signInOf(evidence, lastKey)).toBe('2026-12-01T09:00:00Z');
      // The first page, the count and 3 more pages.
      expect(requests()).toBe(5);
      expect(intel.knownUsageReport()).toEqual({ pages: 4, more: false });
    });

    it('the next full read recalls the report’s pages and the tenant’s count: the whole report from its first page’s share, beside the directory', async () => {
      const asked = countReportRequests();
      resetGraphStats(t.cloud.context);
      const intel = intelligence();
      intel.recall({ usageReport: { pages: 4, more: false }, tenantApplications: GENERATED });
      // 20 apps asking in the first 30 of 90 project 60 (4 requests by app, a tie: by app) ...
      intel.anticipate(usagePage(30, apps.slice(0, 20)));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(asked()).toBe(0);
      // ... 50 in 60 project 75 (5 requests): the report's 4 pages are cheaper, and no count is asked.
      intel.anticipate(usagePage(30, apps.slice(20, 50)));
      await vi.waitFor(() => expect(asked()).toBe(4), { timeout: 5_000 });
      const evidence = await usageOf(intel, firstAppIds(50), { kind: 'sampled' });
      expect(signInOf(evidence, lastKey)).toBe('2026-12-01T09:00:00Z');
      expect(requests()).toBe(4);
    });
  });
});
