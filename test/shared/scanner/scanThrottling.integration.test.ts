import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphStats } from '../../../local/cloud/graph/createGraphApp.js';
import type { Scenario } from '../../../local/cloud/scenario/scenarioSchema.js';
import type { VigilEvent } from '../../../shared/events/vigilEvent.js';
import type { IntelligenceContext, ScanIntelligence } from '../../../shared/intelligence/ScanIntelligence.js';
import type { DirectoryPager } from '../../../shared/scanner/DirectoryPager.js';
import { scanTenant } from '../../../shared/scanner/scanTenant.js';
import { startTestStack, type TestStack } from '../../support/startTestStack.js';
import { TENANT, vigilScannerApp } from '../../support/testScenario.js';

const APPS = 2_100; // three pages of applications at 999 a page

function manyApps(): Scenario {
  const generated = Array.from({ length: APPS }, (_, i) => ({
    displayName: `Generated ${String(i).padStart(4, '0')}`,
    passwordCredentials: [{ displayName: 'main', end: { inDays: 20 } }],
    servicePrincipal: false,
    owners: i % 7 === 0 ? ['owner@contoso.onmicrosoft.com'] : [],
  }));
  return {
    tenants: [
      {
        id: TENANT,
        displayName: 'Contoso',
        defaultDomain: 'contoso.onmicrosoft.com',
        users: [{ userPrincipalName: 'owner@contoso.onmicrosoft.com' }],
        applications: [vigilScannerApp(), ...generated],
      },
    ],
    vaults: [{ name: 'throttle-vault', tenant: TENANT, allowedApps: ['Vigil'] }],
  };
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ scenario: manyApps() });
});
afterAll(async () => stack.stop());

/**
 * Answers the next `times` requests for the directory's pages of applications with 429 (or `status`) once the first
 * page has been read. Only the pages' path (`/applications/delta`, the initial read these scans make): the whole
 * tenant's owners are read from `/applications` too, beside the pages once the first page is judged, and a fault on
 * that path met whichever request came first, so which read retried (and how long each waited) changed with the load.
 */
function throttleAfterFirstPage(pager: DirectoryPager, times: number, status = 429): DirectoryPager {
  return {
    async *read(request) {
      let pages = 0;
      for await (const item of pager.read(request)) {
        yield item;
        if (item.kind === 'page' && ++pages === 1) {
          await stack.admin('/admin/faults', {
            service: 'graph',
            path: '^/v1\\.0/applications/delta$',
            action:
              status === 429
                ? {
                    kind: 'status',
                    status,
                    retryAfterSeconds: 7,
                    body: { error: { code: 'TooManyRequests', message: 'Please retry again later.' } },
                  }
                : { kind: 'status', status, body: { error: { code: 'InternalServerError', message: 'Something went wrong.' } } },
            times,
          });
        }
      }
    },
  };
}

/**
 * A scan now, its back-off sleeps recorded (not slept) and its events kept; `pages` wraps its directory pager, `intel`
 * its intelligence (given the sleeps so far).
 */
async function scanRecording(
  pages: (pager: DirectoryPager) => DirectoryPager = (pager) => pager,
  intel: (intel: ScanIntelligence, sleeps: readonly number[]) => ScanIntelligence = (same) => same,
) {
  const runtime = stack.runtime;
  const { target, deps } = runtime.scanner.scanOf(runtime.scanner.tenants[0]!, { sleep: async (ms) => void sleeps.push(ms) });
  const sleeps: number[] = [];
  const events: VigilEvent[] = [];
  const outcome = await scanTenant(
    target,
    { ...deps, pager: pages(deps.pager), intel: intel(deps.intel, sleeps), events: { publish: async (e) => void events.push(...e) } },
    runtime.scanner.policy,
    DateTime.utc(),
  );
  return { outcome, sleeps, events };
}

/**
 * The scan's intelligence with its context (policies, federated apps) read before any evidence read starts, so the
 * requests to `/applications` come in a known order: the federated apps' one, then the owners' pages. `read` hears the
 * context as it is answered.
 */
function contextFirst(intel: ScanIntelligence, read: (context: IntelligenceContext) => void): ScanIntelligence {
  let context: Promise<IntelligenceContext> | undefined;
  const contextRead = () =>
    (context ??= intel.context().then((answered) => {
      read(answered);
      return answered;
    }));
  return {
    ...intel,
    context: contextRead,
    anticipate: (page) => void contextRead().then(() => intel.anticipate(page)),
    evidence: async (request) => {
      await contextRead();
      return intel.evidence(request);
    },
  };
}

const scanWithThrottling = (times: number, status = 429) => scanRecording((pager) => throttleAfterFirstPage(pager, times, status));

describe('Graph answering 429 while paging', () => {
  it('backs off for Retry-After and completes, with no page lost or read twice', async () => {
    const { outcome, sleeps } = await scanWithThrottling(2);
    expect(sleeps).toEqual([7000, 7000]);
    expect(outcome).toMatchObject({ kind: 'checked', mode: 'full', applications: APPS + 1, findings: APPS });
    const findings = await stack.runtime.scanner.findings.list(TENANT);
    expect(new Set(findings.map((f) => f.subjectName)).size).toBe(APPS);
    // 3 pages of applications and 1 of service principals reached Graph; the 429s came before it. Beside
    // them the intelligence reads: the default and assigned policies (asked together, both 403 here: not
    // granted) and the federated apps; then, as nearly every app
    // of the first page has a finding (a share that stands for the tenant's, so its size is not asked),
    // the whole usage report once (403 here, not granted) and every app's owners once, 100 a page as
    // Graph serves `$expand` (22), kept for the first scan's later pages.
    // That is the fewest Graph allows (30, one of them the assigned policies' 403, asked beside the default's so
    // that a granted tenant's policies take one round trip); reading 15 apps a request took 151.
    expect(graphStats(stack.cloud.context).byTenant[TENANT]).toMatchObject({ requests: 4 + 3 + 1 + 22, throttled: 0 });
    const owned = findings.filter((f) => f.impact?.owners?.length);
    expect(owned).toHaveLength(APPS / 7);
    expect(owned[0]!.impact!.owners).toEqual(['owner@contoso.onmicrosoft.com']);
  });

  it('reads the daily full scan’s evidence whole beside its pages without asking the tenant’s size: its pages’ share decides', async () => {
    const runtime = stack.runtime;
    const { target, deps } = runtime.scanner.scanOf(runtime.scanner.tenants[0]!);
    const before = graphStats(stack.cloud.context).byTenant[TENANT]!.requests;
    const outcome = await scanTenant(target, deps, runtime.scanner.policy, DateTime.utc().plus({ hours: 25 }));
    expect(outcome).toMatchObject({ kind: 'checked', mode: 'full', baseline: false, applications: APPS + 1, findings: APPS });
    // The same reads as the first scan (4 pages, 3 intelligence reads, the usage report, 22 pages of
    // owners), no `$count`: the share of apps with findings on the pages read so far decides the whole-tenant reads.
    expect(graphStats(stack.cloud.context).byTenant[TENANT]!.requests - before).toBe(4 + 3 + 1 + 22);
    const owned = (await runtime.scanner.findings.list(TENANT)).filter((f) => f.impact?.owners?.length);
    expect(owned).toHaveLength(APPS / 7);
  });

  it('reports "throttled beyond the retry budget" as scan.failed and keeps the last good findings', async () => {
    await stack.admin(`/admin/tenants/${TENANT}/delta/invalidate`, { as: 'expired' });
    const { outcome, sleeps, events } = await scanWithThrottling(50);
    await stack.admin('/admin/faults', undefined, 'DELETE');
    expect(sleeps).toEqual(Array(6).fill(7000));
    expect(outcome).toMatchObject({ kind: 'unchecked', keptFindings: APPS, failure: { code: 'throttled' } });
    expect(events.map((e) => e.type)).toEqual(['scan.failed']);
    expect(events[0]!.data).toMatchObject({
      reason: expect.stringMatching(
        // The pager sends a page's request before the page before it is judged: the second page's may have been
        // answered before the fault was set, and then the third meets it.
        /beyond its retry budget \(HTTP 429 after 6 retries, 42 s of waiting\), after [12] pages? of applications \(partial read\)/,
      ),
    });
    expect(await stack.runtime.scanner.findings.list(TENANT)).toHaveLength(APPS);
  });
});

describe('Graph failing a page with a server error', () => {
  it('retries a 500 with back-off and completes, instead of leaving the tenant unchecked', async () => {
    await stack.admin(`/admin/tenants/${TENANT}/delta/invalidate`, { as: 'expired' });
    const { outcome, sleeps, events } = await scanWithThrottling(2, 500);
    expect(sleeps).toEqual([1000, 2000]);
    expect(outcome).toMatchObject({ kind: 'checked', applications: APPS + 1, findings: APPS });
    expect(events.map((e) => e.type)).not.toContain('scan.failed');
  });
});

describe("Graph answering 429 to a page of the whole tenant's owners", () => {
  it('backs off for Retry-After and the owners still reach the findings', async () => {
    await stack.admin(`/admin/tenants/${TENANT}/delta/invalidate`, { as: 'expired' });
    await stack.admin('/admin/faults', undefined, 'DELETE');
    // `/applications` itself (the `$expand=owners` read beside the pages, and the federated apps' one request): the
    // first two requests pass, the federated apps' and then (as the context is read first) the owners' first page; the
    // next request there, a later page of owners, is throttled.
    const owners = { service: 'graph', path: '^/v1\\.0/applications$' };
    await stack.admin('/admin/faults', { ...owners, action: { kind: 'latency', ms: 0 }, times: 2 });
    await stack.admin('/admin/faults', {
      ...owners,
      action: {
        kind: 'status',
        status: 429,
        retryAfterSeconds: 7,
        body: { error: { code: 'TooManyRequests', message: 'Please retry again later.' } },
      },
      times: 1,
    });
    let federated: { read: boolean; backOffsBefore: number } | undefined;
    const { outcome, sleeps, events } = await scanRecording(undefined, (intel, sleepsSoFar) =>
      contextFirst(intel, (context) => (federated = { read: context.federatedUnknown === undefined, backOffsBefore: sleepsSoFar.length })),
    );
    const left = (await stack.admin('/admin/faults')) as Array<{ remaining: number }>;
    await stack.admin('/admin/faults', undefined, 'DELETE');
    expect(left.map((f) => f.remaining)).toEqual([0, 0]);
    expect(sleeps).toEqual([7000]);
    // The federated apps were read with no back-off before them: the one 429 met a page of owners, not their request.
    expect(federated).toEqual({ read: true, backOffsBefore: 0 });
    expect(outcome).toMatchObject({ kind: 'checked', mode: 'full', applications: APPS + 1, findings: APPS });
    expect(events.map((e) => e.type)).not.toContain('scan.failed');
    const owned = (await stack.runtime.scanner.findings.list(TENANT)).filter((f) => f.impact?.owners?.length);
    expect(owned).toHaveLength(APPS / 7);
    expect(owned[0]!.impact!.owners).toEqual(['owner@contoso.onmicrosoft.com']);
  });
});
