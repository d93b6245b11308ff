import { describe, expect, it } from 'vitest';
import { BENCH_LATENCY } from '../../bench/benchGoals.js';
import {
  directoryChainEnds,
  evidenceRead,
  intelligenceRequests,
  queuedLatencyFloor,
  tenantLatencyFloor,
  waitsForSecret,
} from '../../bench/scanLimits.js';

const { graph, entra, keyvault } = BENCH_LATENCY;
/** A 1,000-app tenant's reads with no findings asking for evidence, to vary one thing at a time. */
const quiet = {
  enabledPolicies: 0,
  federatedApps: 0,
  usageApps: 0,
  usageIn: [],
  ownerApps: 0,
  tenantApplications: 1_000,
  reportRows: 1,
} as const;

describe("the scan floor's directory chains", () => {
  it('ends each collection on its own: two chains beside each other, the last page of each after its own pages', () => {
    expect(directoryChainEnds([2, 5], graph)).toEqual([2 * graph, 5 * graph]);
  });

  it("holds pages past the 150th to Graph's minute, shared by both collections", () => {
    // 150 + 1 pages: the 151st page selecting keyCredentials waits for the first one's minute.
    const ends = directoryChainEnds([150, 1], graph);
    expect(Math.max(...ends)).toBe(60_000 + graph);
  });
});

describe('one rule for the fewest evidence requests, its description and its chain', () => {
  it('counts both ways on a tie, and says so', () => {
    expect(evidenceRead('usage', 60, 4, ['applications']).ways.map((w) => w.way)).toEqual(['whole', 'byApp']);
    const reads = intelligenceRequests({ ...quiet, usageApps: 60, usageIn: ['applications'], reportRows: 3_500 });
    expect(reads.requests).toBe(2 + 1 + 4);
    expect(reads.how).toContain('usage 4 (a tie: whole report: 3500 rows, 999 a page, or 60 apps, 15 a request');
  });

  it('takes whichever way ends first on a tie: by app after the last page, not four report pages one after another', () => {
    // 60 apps by app = 4 requests = 4 pages of the report. The old chain rule read a tie as whole (1 + 4 pages
    // = 1,250 ms), where the count's description said by app; by app ends one round after the last page (750 ms).
    const reads = intelligenceRequests({ ...quiet, usageApps: 60, usageIn: ['applications'], reportRows: 3_500 });
    const floor = tenantLatencyFloor([2, 2], reads, false);
    expect(floor.ms).toBe(entra + 2 * graph + graph);
    expect(floor.how).toContain('usage by app, one round after the last applications page');
  });

  it('waits for no token where the scan has one cached, as a single-tenant bench signed in before its clock', () => {
    const reads = intelligenceRequests({ ...quiet, ownerApps: 15 });
    const cached = tenantLatencyFloor([1, 3], reads, false, { tokenCached: true });
    expect(cached.ms).toBe(3 * graph);
    expect(cached.how).toMatch(/^token cached \(0 ms\) \+ /);
    expect(tenantLatencyFloor([1, 3], reads, false).ms).toBe(entra + 3 * graph);
  });

  it('places evidence read by app after the directory page it depends on, not beside the directory', () => {
    // 15 apps: 1 request by app against a 3-page report. The old floor ran it beside the directory (500 ms in all).
    const reads = intelligenceRequests({ ...quiet, usageApps: 15, usageIn: ['applications'], reportRows: 2_500 });
    expect(tenantLatencyFloor([2, 2], reads, false).ms).toBe(entra + 2 * graph + graph);
  });

  it('follows the collection that holds the findings: owners after the applications, usage of service principals after theirs', () => {
    const owners = intelligenceRequests({ ...quiet, ownerApps: 15 });
    expect(tenantLatencyFloor([1, 3], owners, false).ms).toBe(entra + 3 * graph);
    const usage = intelligenceRequests({ ...quiet, usageApps: 15, usageIn: ['servicePrincipals'], reportRows: 2_500 });
    expect(tenantLatencyFloor([1, 3], usage, false).ms).toBe(entra + 3 * graph + graph);
  });

  it('reads a cheaper whole tenant after the first page that calls for it, whatever the directory', () => {
    // 1,000 apps with owners' findings on 200: 14 requests by app, 10 pages of every app with $expand.
    const reads = intelligenceRequests({ ...quiet, ownerApps: 200 });
    expect(reads.evidence[1]!.ways).toEqual([{ way: 'whole', pages: 10 }]);
    expect(tenantLatencyFloor([2, 2], reads, false).ms).toBe(entra + graph + 10 * graph);
  });

  it('asks the default and the assigned policies at once: one round, not two', () => {
    expect(intelligenceRequests(quiet).chain).toBe(1);
    expect(intelligenceRequests({ ...quiet, enabledPolicies: 2 }).chain).toBe(2);
  });
});

describe("the many-tenant floor through the host's queue listener", () => {
  it('yields 16 tenants at a time for tenants alike: 1,000 × 380 ms in 63 batches, not 1,000 ÷ 24 rounds', () => {
    const reads = intelligenceRequests(quiet);
    const tenant = tenantLatencyFloor([1, 1], reads, true);
    expect(tenant.ms).toBe(keyvault + entra + graph);
    const floor = queuedLatencyFloor(Array.from({ length: 1_000 }, () => tenant));
    expect(floor.ms).toBe(63 * tenant.ms);
    expect(floor.how).toContain('63 batches, at most 24 at once');
  });

  it("charges the app's Key Vault read only to the first batch, which starts before the secret is known", () => {
    const reads = intelligenceRequests(quiet);
    const tenants = Array.from({ length: 1_000 }, (_, position) =>
      tenantLatencyFloor([1, 1], reads, waitsForSecret(position, position > 0)),
    );
    expect(tenants.filter((t) => t.ms === keyvault + entra + graph)).toHaveLength(15);
    // The first batch ends when its scans that read the secret do; each later batch takes a token and a round.
    expect(queuedLatencyFloor(tenants).ms).toBe(keyvault + entra + graph + 62 * (entra + graph));
  });

  it('runs each tenant at its own floor: a slow batch does not make every later batch slow', () => {
    // The hand-derived rule took the longest tenant for every round: 2 × 1,000 ms.
    const slow = { ms: 1_000, how: 'slow' };
    const fast = { ms: 100, how: 'fast' };
    const floor = queuedLatencyFloor([...Array.from({ length: 16 }, () => slow), ...Array.from({ length: 16 }, () => fast)]);
    expect(floor.ms).toBe(1_100);
    expect(floor.how).toContain('each tenant slow or fast');
  });
});
