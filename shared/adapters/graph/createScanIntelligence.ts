import type { CloudName } from '../../cloud/cloudEndpoints.js';
import type { UsageEvidence } from '../../intelligence/CredentialUsage.js';
import { readsWholeTenant, sharePointsWhole, worthCounting, type UsageReportSize } from '../../intelligence/evidenceReads.js';
import type {
  CredentialEvidence,
  EvidenceSample,
  IntelligenceContext,
  KeptUsage,
  ScanIntelligence,
} from '../../intelligence/ScanIntelligence.js';
import { decideUsageRead, type UsageRead } from '../../intelligence/usageDecision.js';
import { createPageFetcher, defaultRetryBudget, type PageFetcher } from './createPageFetcher.js';
import type { GraphConnection } from './createDirectoryPager.js';
import { countApplications, readAllOwners, readFederatedApps, readOwners } from './readDirectoryExtras.js';
import { readTenantPolicies } from './readTenantPolicies.js';
import { readUsageReport, readUsageReportPages, type UsageReportRead } from './readUsageReport.js';
import type { VigilFaultLog } from '../http/createVigilFaultLog.js';
import { createSlidingWindowBudget, type WindowClock } from '../../helpers/createSlidingWindowBudget.js';

export interface ScanIntelligenceOptions {
  /** Vigil's log, where createPageFetcher leaves the trace of a request Vigil could not make (vigilFault). */
  vigilFaultLog: VigilFaultLog;
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
 * One per scan: owners are read by app while few apps need them, and for the whole tenant once (then kept
 * for the scan's later pages) where that takes fewer requests (`evidenceReads.ts`).
 * Usage is read the way one decision chooses (`decideUsageRead`, usageDecision.ts), asked again whenever
 * the scan knows more: as each page of a full read is read (`anticipate`, which starts what it chooses
 * beside the directory) and when findings ask (`evidence`). The report's size is known only by reading it:
 * what this scan's reads of it saw is kept (`knownUsageReport`), with what the last scan kept (`recall`).
 * The report is read as one chain from its first page, never a page twice; a refusal stops the usage reads.
 */
export function createScanIntelligence(options: ScanIntelligenceOptions): ScanIntelligence {
  let fetcher: PageFetcher | undefined;
  let tenantSize: Promise<number | undefined> | undefined;
  let wholeOwners: Promise<Map<string, string[]> | undefined> | undefined;
  // What the tenant's scan state kept, and the report's size as this scan's reads found it.
  let recalled: KeptUsage = { usageReport: undefined, tenantApplications: undefined };
  let learnedUsageReport: UsageReportSize | undefined;
  const knownUsageReport = () => learnedUsageReport ?? recalled.usageReport;
  // The report as this scan has read it: the last read's outcome (undefined before any), the read going on
  // down it (each read starts where the one before stopped), and whether one is still going.
  let reportRead: UsageReportRead | undefined;
  let reportChain: Promise<UsageReportRead | undefined> = Promise.resolve(undefined);
  let reportBusy = 0;
  // The tenant's applications as counted this scan, for a full read that recalls no count (0: the count failed).
  let counted: number | undefined;
  let countBusy = false;
  // Apps whose usage this scan asked for by app: those requests are spent, whichever way the rest goes.
  let readByApp = 0;
  // A full read's pages so far (every one, with findings or not): how many applications they held, and
  // which apps among them asked for each kind of evidence, each app once however many pages name it.
  const sampled = { applications: 0, usage: new Set<string>(), owners: new Set<string>() };
  /** Whether the pages so far point to reading the whole tenant for owners. */
  const pointsWholeOwners = (): boolean => sharePointsWhole(sampled.owners.size, sampled.applications);
  /** Reads on down the report to `untilPages` pages in all (from its first page, or where the last read stopped). */
  const readReportTo = (fetcher: PageFetcher, origin: string, untilPages: number): Promise<UsageReportRead | undefined> => {
    const step = reportChain.then(async (before) => {
      if ((before && before.kind !== 'partial') || (before?.pages ?? 0) >= untilPages) return before;
      const read = await readUsageReportPages(fetcher, origin, before, untilPages - (before?.pages ?? 0));
      if (read.kind === 'whole' || read.kind === 'partial') learnedUsageReport = { pages: read.pages, more: read.kind === 'partial' };
      reportRead = read;
      return read;
    });
    reportChain = step;
    reportBusy += 1;
    const done = () => void (reportBusy -= 1);
    step.then(done, done);
    return step;
  };
  const countTenant = (fetcher: PageFetcher, origin: string): Promise<unknown> => {
    countBusy = true;
    tenantSize ??= countApplications(fetcher, origin);
    const settle = (size: number | undefined) => {
      countBusy = false;
      counted = size ?? 0;
    };
    return tenantSize.then(settle, () => settle(undefined));
  };
  /** The one usage decision, with what this scan knows now: `read` says where the apps asking come from. */
  const usageChoice = (read: EvidenceSample | undefined, asking: number): UsageRead =>
    decideUsageRead({
      report: reportRead?.kind === 'refused' ? 'unreadable' : knownUsageReport(),
      pagesRead: learnedUsageReport?.pages ?? 0,
      read: !read
        ? { kind: 'delta' }
        : read.kind === 'all'
          ? { kind: 'full', applications: read.applications, complete: true }
          : { kind: 'full', applications: sampled.applications, complete: false },
      tenantApplications: recalled.tenantApplications ?? counted,
      asking,
      readByApp,
    });
  const startWholeOwners = (fetcher: PageFetcher, origin: string) => {
    wholeOwners ??= readAllOwners(fetcher, origin);
    return wholeOwners;
  };
  const connected = async (): Promise<{ fetcher: PageFetcher; origin: string } | { reason: string }> => {
    const connection = await options.connect();
    if (!connection.ok) return { reason: connection.failure.reason };
    fetcher ??= createPageFetcher(connection.graph, {
      pacer: createSlidingWindowBudget(1000, 10_000, options.clock),
      sleep: options.sleep,
      budget: defaultRetryBudget,
      vigilFaultLog: options.vigilFaultLog,
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
      const wantsWholeOwners = async (apps: number): Promise<boolean> => {
        // A full read decides by what it has read (it knows the tenant's size, or its pages' share of
        // apps with findings stands for the tenant's): asking Graph the size would be one request more.
        if (read?.kind === 'all') return readsWholeTenant(apps, read.applications);
        if (read?.kind === 'sampled') return pointsWholeOwners();
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
        // A full read still going counts every app its pages have asked for; the others, the apps asked now.
        const asking = read?.kind === 'sampled' ? Math.max(sampled.usage.size, appIds.length) : appIds.length;
        // Each step learns something (the report's first page, the tenant's size, more of the report) and the
        // decision is made again with it, until the report answers or the apps are asked by app.
        for (;;) {
          const before = await reportChain;
          if (before?.kind === 'whole' || before?.kind === 'failed') return before.usage;
          const choice = usageChoice(read, asking);
          if (choice.kind === 'byApp') break;
          if (choice.kind === 'countApplications') await countTenant(fetcher, origin);
          // A read that moved nothing on (a report already read to where it was asked to stop) decides no more.
          else if ((await readReportTo(fetcher, origin, choice.untilPages)) === before) break;
        }
        readByApp += appIds.length;
        return readUsageReport(fetcher, origin, appIds);
      };
      const readOwnersOf = async (): Promise<ReadonlyMap<string, string[]> | undefined> => {
        if (applicationObjectIds.length === 0) return new Map();
        if (!wholeOwners && !(await wantsWholeOwners(applicationObjectIds.length)))
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
      // What the usage decision chooses with the pages so far starts now, beside the directory, unless a read
      // of the report or a count it asked for is still going (it decides again once that is in): a report
      // whose size is not known has its first page read as soon as any finding asks for usage, which costs
      // what one request by app would, and is often the whole report. Reading by app waits for `evidence`.
      const settled = !reportBusy && !countBusy && reportRead?.kind !== 'whole' && reportRead?.kind !== 'failed';
      const usage =
        options.cloud === 'global' && sampled.usage.size > 0 && settled ? usageChoice({ kind: 'sampled' }, sampled.usage.size) : undefined;
      const owners = pointsWholeOwners() && !wholeOwners;
      if ((!usage || usage.kind === 'byApp') && !owners) return;
      const started = connected().then((graph) => {
        if ('reason' in graph) return;
        if (usage?.kind === 'countApplications') countTenant(graph.fetcher, graph.origin).catch(() => undefined);
        if (usage?.kind === 'whole') readReportTo(graph.fetcher, graph.origin, usage.untilPages).catch(() => undefined);
        if (owners) startWholeOwners(graph.fetcher, graph.origin).catch(() => undefined);
      });
      // `evidence` meets any failure when it takes these reads; nothing awaits this start itself.
      started.catch(() => undefined);
    },
    recall(kept): void {
      recalled = kept;
    },
    knownUsageReport,
  };
}
