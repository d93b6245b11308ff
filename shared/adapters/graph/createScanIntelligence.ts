import type { CloudName } from '../../cloud/cloudEndpoints.js';
import type { UsageEvidence } from '../../intelligence/CredentialUsage.js';
import { readsWholeTenant, sharePointsWhole, worthCounting } from '../../intelligence/evidenceReads.js';
import type { CredentialEvidence, IntelligenceContext, ScanIntelligence } from '../../intelligence/ScanIntelligence.js';
import { createPageFetcher, defaultRetryBudget, type PageFetcher } from './createPageFetcher.js';
import type { GraphConnection } from './createDirectoryPager.js';
import { countApplications, readAllOwners, readFederatedApps, readOwners } from './readDirectoryExtras.js';
import { readTenantPolicies } from './readTenantPolicies.js';
import { readUsageReport, readWholeUsageReport } from './readUsageReport.js';
import { createRequestPacer } from './requestPacer.js';

export interface ScanIntelligenceOptions {
  connect(): Promise<GraphConnection>;
  cloud: CloudName;
  sleep: (ms: number) => Promise<void>;
  nowMs: () => number;
}

const cloudNamesForPeople: Record<CloudName, string> = {
  global: 'the global cloud',
  usgov: 'US Government',
  usgovdod: 'US Government DoD',
  china: 'China (21Vianet)',
};

/**
 * The scan's reads beside the directory, through the tenant's Graph client with the scan's retries. They
 * select no keyCredentials, so Graph's 150-a-minute limit does not bind them; they are paced under the
 * resource-unit limit instead. The usage report is a global-cloud feature: elsewhere it is not asked for.
 * One per scan: owners and usage are read by app while few apps need them, and for the whole tenant once
 * (then kept for the scan's later pages) where that takes fewer requests (`evidenceReads.ts`).
 */
export function createScanIntelligence(options: ScanIntelligenceOptions): ScanIntelligence {
  let fetcher: PageFetcher | undefined;
  let tenantSize: Promise<number | undefined> | undefined;
  let wholeOwners: Promise<Map<string, string[]> | undefined> | undefined;
  let wholeUsage: Promise<UsageEvidence | { kind: 'refused' }> | undefined;
  // A full read's pages so far: how many applications they held, and how many of them asked for each kind of evidence.
  const sampled = { usage: { apps: 0, applications: 0 }, owners: { apps: 0, applications: 0 } };
  /** Adds a page to the sample; whether the pages so far point to reading the whole tenant for `kind`. */
  const sample = (kind: keyof typeof sampled, apps: number, applications: number): boolean => {
    sampled[kind].apps += apps;
    sampled[kind].applications += applications;
    return sharePointsWhole(sampled[kind].apps, sampled[kind].applications);
  };
  const startWholeUsage = (fetcher: PageFetcher, origin: string) => {
    wholeUsage ??= readWholeUsageReport(fetcher, origin);
    return wholeUsage;
  };
  const startWholeOwners = (fetcher: PageFetcher, origin: string) => {
    wholeOwners ??= readAllOwners(fetcher, origin);
    return wholeOwners;
  };
  const connected = async (): Promise<{ fetcher: PageFetcher; origin: string } | { reason: string }> => {
    const connection = await options.connect();
    if (!connection.ok) return { reason: connection.failure.reason };
    const pacer = createRequestPacer({ limit: 1000, windowMs: 10_000, nowMs: options.nowMs, sleep: options.sleep });
    fetcher ??= createPageFetcher(connection.graph, { pacer, sleep: options.sleep, budget: defaultRetryBudget });
    return { fetcher, origin: connection.origin };
  };
  return {
    async context(): Promise<IntelligenceContext> {
      const graph = await connected();
      if ('reason' in graph)
        return { policies: { kind: 'unavailable', reason: graph.reason }, federatedApps: new Set(), federatedUnknown: graph.reason };
      const [policies, federated] = await Promise.all([
        readTenantPolicies(graph.fetcher, graph.origin),
        readFederatedApps(graph.fetcher, graph.origin),
      ]);
      return federated.ok
        ? { policies, federatedApps: federated.ids }
        : { policies, federatedApps: new Set(), federatedUnknown: federated.reason };
    },
    async evidence({ appIds, applicationObjectIds, read }): Promise<CredentialEvidence> {
      const graph = await connected();
      if ('reason' in graph) return { usage: { kind: 'unavailable', reason: graph.reason }, owners: undefined };
      const { fetcher, origin } = graph;
      const wantsWhole = async (kind: keyof typeof sampled, apps: number): Promise<boolean> => {
        // A full read decides by what it has read (it knows the tenant's size, or its pages' share of
        // apps with findings stands for the tenant's): asking Graph the size would be one request more.
        if (read?.kind === 'all') return readsWholeTenant(apps, read.applications);
        if (read?.kind === 'sampled') return sharePointsWhole(sampled[kind].apps, sampled[kind].applications);
        if (!worthCounting(apps)) return false;
        tenantSize ??= countApplications(fetcher, origin);
        const size = await tenantSize;
        return size !== undefined && readsWholeTenant(apps, size);
      };
      const readUsage = async (): Promise<UsageEvidence> => {
        if (options.cloud !== 'global')
          return {
            kind: 'unavailable',
            reason: `Entra's usage report exists only in the global cloud, and this tenant is in ${cloudNamesForPeople[options.cloud]}`,
          };
        if (appIds.length === 0) return { kind: 'read', byKeyId: new Map() };
        if (wholeUsage || (await wantsWhole('usage', appIds.length))) {
          const whole = await startWholeUsage(fetcher, origin);
          if (whole.kind !== 'refused') return whole;
        }
        return readUsageReport(fetcher, origin, appIds);
      };
      const readOwnersOf = async (): Promise<ReadonlyMap<string, string[]> | undefined> => {
        if (applicationObjectIds.length === 0) return new Map();
        if (!wholeOwners && !(await wantsWhole('owners', applicationObjectIds.length)))
          return readOwners(fetcher, origin, applicationObjectIds);
        const all = await startWholeOwners(fetcher, origin);
        // The whole read keeps only apps that people own: every other app asked about owns nobody to ask.
        return all && new Map(applicationObjectIds.map((id) => [id.toLowerCase(), all.get(id.toLowerCase()) ?? []]));
      };
      const [usage, owners] = await Promise.all([readUsage(), readOwnersOf()]);
      return { usage, owners };
    },
    anticipate({ applications, usageApps, ownerApps }): void {
      const usage = sample('usage', usageApps, applications) && options.cloud === 'global';
      const owners = sample('owners', ownerApps, applications);
      if (!usage && !owners) return;
      const started = connected().then((graph) => {
        if ('reason' in graph) return;
        if (usage && !wholeUsage) startWholeUsage(graph.fetcher, graph.origin).catch(() => undefined);
        if (owners && !wholeOwners) startWholeOwners(graph.fetcher, graph.origin).catch(() => undefined);
      });
      // `evidence` meets any failure when it takes these reads; nothing awaits this start itself.
      started.catch(() => undefined);
    },
  };
}
