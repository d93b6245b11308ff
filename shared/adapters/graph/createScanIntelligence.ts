import type { CloudName } from '../../cloud/cloudEndpoints.js';
import type { UsageEvidence } from '../../intelligence/CredentialUsage.js';
import {
  filteredRequests,
  readsWholeTenant,
  sharePointsWhole,
  usageReadBySize,
  worthCounting,
  type UsageReportSize,
} from '../../intelligence/evidenceReads.js';
import type { CredentialEvidence, IntelligenceContext, ScanIntelligence } from '../../intelligence/ScanIntelligence.js';
import { createPageFetcher, defaultRetryBudget, type PageFetcher } from './createPageFetcher.js';
import type { GraphConnection } from './createDirectoryPager.js';
import { countApplications, readAllOwners, readFederatedApps, readOwners } from './readDirectoryExtras.js';
import { readTenantPolicies } from './readTenantPolicies.js';
import { readUsageReport, readUsageReportPages, type UsageReportRead } from './readUsageReport.js';
import type { WindowClock } from '../../helpers/createSlidingWindowBudget.js';
import { createRequestPacer } from './requestPacer.js';

export interface ScanIntelligenceOptions {
  connect(): Promise<GraphConnection>;
  cloud: CloudName;
  sleep: (ms: number) => Promise<void>;
  clock?: WindowClock;
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
 * The usage report's size is known only by reading it: a full read that needs usage and does not know it
 * (`recall`) reads the report's first page of 999 beside the directory. Without a next link that page is
 * the whole report, and answers every app; with one, the rest is read the cheaper way, by app or on down
 * the report, and what was seen is kept (`knownUsageReport`) so the next full read chooses without it.
 */
export function createScanIntelligence(options: ScanIntelligenceOptions): ScanIntelligence {
  let fetcher: PageFetcher | undefined;
  let tenantSize: Promise<number | undefined> | undefined;
  let wholeOwners: Promise<Map<string, string[]> | undefined> | undefined;
  let wholeUsage: Promise<UsageEvidence | { kind: 'refused' }> | undefined;
  // The usage report's first page (`$top=999`), read by a full read that does not know the report's size.
  let firstUsagePage: Promise<UsageReportRead> | undefined;
  // The report's size as the scan state kept it, and as this scan's reads found it.
  let recalledUsageReport: UsageReportSize | undefined;
  let learnedUsageReport: UsageReportSize | undefined;
  const knownUsageReport = () => learnedUsageReport ?? recalledUsageReport;
  // A full read's pages so far (every one, with findings or not): how many applications they held, and
  // which apps among them asked for each kind of evidence, each app once however many pages name it.
  const sampled = { applications: 0, usage: new Set<string>(), owners: new Set<string>() };
  /** Whether the pages so far point to reading the whole tenant for `kind`. */
  const pointsWhole = (kind: 'usage' | 'owners'): boolean => sharePointsWhole(sampled[kind].size, sampled.applications);
  /** What a read of the report saw of its size: all its pages, or more than those it read. */
  const learnFrom = (read: UsageReportRead): UsageReportRead => {
    if (read.kind === 'whole' || read.kind === 'partial') learnedUsageReport = { pages: read.pages, more: read.kind === 'partial' };
    return read;
  };
  const startFirstUsagePage = (fetcher: PageFetcher, origin: string) => {
    firstUsagePage ??= readUsageReportPages(fetcher, origin, undefined, 1).then(learnFrom);
    return firstUsagePage;
  };
  /**
   * The whole report: on from its first page when that was read (or is being read), so no page is read
   * twice. With `maxPages`, a report still going after that many pages is left there (what was seen is
   * kept: more than that many pages), and the scan asks by app, as it does when Graph refuses the read.
   */
  const startWholeUsage = (fetcher: PageFetcher, origin: string, maxPages = Infinity) => {
    wholeUsage ??= startFirstUsagePage(fetcher, origin).then(async (first) => {
      const read = first.kind === 'partial' ? learnFrom(await readUsageReportPages(fetcher, origin, first, maxPages - first.pages)) : first;
      if (read.kind === 'whole' || read.kind === 'failed') return read.usage;
      return { kind: 'refused' as const };
    });
    return wholeUsage;
  };
  /** Whether a full read's pages so far point to reading the whole report: by its known size, else by their share. */
  const sampledPointsWholeUsage = (): boolean => {
    const bySize = usageReadBySize(sampled.usage.size, knownUsageReport());
    return bySize ? bySize === 'whole' : pointsWhole('usage');
  };
  const startWholeOwners = (fetcher: PageFetcher, origin: string) => {
    wholeOwners ??= readAllOwners(fetcher, origin);
    return wholeOwners;
  };
  const connected = async (): Promise<{ fetcher: PageFetcher; origin: string } | { reason: string }> => {
    const connection = await options.connect();
    if (!connection.ok) return { reason: connection.failure.reason };
    fetcher ??= createPageFetcher(connection.graph, {
      pacer: createRequestPacer({ limit: 1000, windowMs: 10_000, ...(options.clock && { clock: options.clock }) }),
      sleep: options.sleep,
      budget: defaultRetryBudget,
    });
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
      const wantsWhole = async (kind: 'usage' | 'owners', apps: number): Promise<boolean> => {
        // A full read decides by what it has read (it knows the tenant's size, or its pages' share of
        // apps with findings stands for the tenant's): asking Graph the size would be one request more.
        if (read?.kind === 'all') return readsWholeTenant(apps, read.applications);
        if (read?.kind === 'sampled') return pointsWhole(kind);
        if (!worthCounting(apps)) return false;
        tenantSize ??= countApplications(fetcher, origin);
        const size = await tenantSize;
        return size !== undefined && readsWholeTenant(apps, size);
      };
      /** Whether to read the report whole: at most `maxPages` of it, where its size is not known. */
      const wantsWholeUsage = async (apps: number): Promise<{ maxPages: number } | undefined> => {
        // The report's known size decides where it can: a full read still going by the apps sampled so far.
        const bySize = usageReadBySize(read?.kind === 'sampled' ? Math.max(apps, sampled.usage.size) : apps, knownUsageReport());
        if (bySize) return bySize === 'whole' ? { maxPages: Infinity } : undefined;
        // A full read that knows every app asking, but not the report's size (it has more than one page):
        // the report is read on while that takes no more pages than asking by app would take requests; a
        // longer one is left there, and kept as "more than" those pages, so the next full read asks by app.
        if (read?.kind === 'all') return { maxPages: filteredRequests(apps) };
        return (await wantsWhole('usage', apps)) ? { maxPages: Infinity } : undefined;
      };
      const readUsage = async (): Promise<UsageEvidence> => {
        if (options.cloud !== 'global')
          return {
            kind: 'unavailable',
            reason: `Entra's usage report exists only in the global cloud, and this tenant is in ${cloudNamesForPeople[options.cloud]}`,
          };
        if (appIds.length === 0) return { kind: 'read', byKeyId: new Map() };
        const takeWhole = async (maxPages = Infinity) => {
          const whole = await startWholeUsage(fetcher, origin, maxPages);
          return whole.kind !== 'refused' ? whole : readUsageReport(fetcher, origin, appIds);
        };
        // A full read that does not know the report's size reads its first page (begun beside the directory
        // as the first finding asked for usage): without a next link it is the whole report, and answers every app.
        if (!wholeUsage && read && !knownUsageReport() && (await startFirstUsagePage(fetcher, origin)).kind !== 'partial')
          return takeWhole();
        if (wholeUsage) return takeWhole();
        const whole = await wantsWholeUsage(appIds.length);
        return whole ? takeWhole(whole.maxPages) : readUsageReport(fetcher, origin, appIds);
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
    anticipate({ applications, usageAppIds, ownerObjectIds }): void {
      sampled.applications += applications;
      for (const id of usageAppIds) sampled.usage.add(id.toLowerCase());
      for (const id of ownerObjectIds) sampled.owners.add(id.toLowerCase());
      const asksUsage = options.cloud === 'global' && sampled.usage.size > 0;
      // Where the report's size is not known, its first page is read beside the directory as soon as any
      // finding asks for usage: it costs what one request by app would, and is often the whole report.
      const usage = asksUsage && sampledPointsWholeUsage();
      const firstUsage = asksUsage && !usage && !knownUsageReport() && !firstUsagePage;
      const owners = pointsWhole('owners');
      if (!usage && !firstUsage && !owners) return;
      const started = connected().then((graph) => {
        if ('reason' in graph) return;
        if (usage && !wholeUsage) startWholeUsage(graph.fetcher, graph.origin).catch(() => undefined);
        if (firstUsage) startFirstUsagePage(graph.fetcher, graph.origin).catch(() => undefined);
        if (owners && !wholeOwners) startWholeOwners(graph.fetcher, graph.origin).catch(() => undefined);
      });
      // `evidence` meets any failure when it takes these reads; nothing awaits this start itself.
      started.catch(() => undefined);
    },
    recall(usageReport): void {
      recalledUsageReport = usageReport;
    },
    knownUsageReport,
  };
}
