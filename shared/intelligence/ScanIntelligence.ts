import type { TenantPolicies } from './AppPolicy.js';
import type { UsageEvidence } from './CredentialUsage.js';
import type { UsageReportSize } from './evidenceReads.js';

/** What hygiene and advice need from a tenant's directory before its credentials are judged. */
export interface IntelligenceContext {
  policies: TenantPolicies;
  /** Object ids (lower case) of applications with at least one federated identity credential; empty when unknown. */
  federatedApps: ReadonlySet<string>;
  /** Why `federatedApps` could not be read, when it could not. */
  federatedUnknown?: string | undefined;
}

/**
 * A context as a read used it, kept on the tenant's scan state with the time it was read: the daily full
 * read reads it, and the delta reads in between judge with it while it is fresh (`freshIntelligence`).
 */
export interface KeptIntelligence {
  readAt: string;
  context: IntelligenceContext;
}

/** Evidence about the credentials of some applications: their use, and their owners. */
export interface CredentialEvidence {
  /** Covers the app ids asked for (or says why it could not be read). */
  usage: UsageEvidence;
  /** Owners' addresses by application object id (lower case), for the objects asked for; undefined when they could not be read. */
  owners: ReadonlyMap<string, string[]> | undefined;
}

/**
 * Reads what a scan needs beyond the directory pages, within Graph's limits: the app management
 * policies and the federated apps once per scan that judges anything, and the usage report and owners
 * for the applications that have findings, a bounded number of them per request.
 */
export interface ScanIntelligence {
  context(): Promise<IntelligenceContext>;
  /**
   * `read` says what the findings come from, which decides whether reading the whole tenant is cheaper
   * (evidenceReads.ts): `all` applications of the tenant (a read just counted them: a refused delta read
   * again in full), or a full read still going (`sampled`), whose pages so far (`anticipate`) show the share
   * of applications with findings that stands for the tenant's. Without it (a delta read) the tenant's size
   * is asked of Graph where that decides.
   */
  evidence(request: {
    appIds: readonly string[];
    applicationObjectIds: readonly string[];
    read?: EvidenceSample | undefined;
  }): Promise<CredentialEvidence>;
  /**
   * Each page of a full read as it is read, those without findings too (its evidence is asked for a few
   * pages on, in requests of 15 apps): the pages so far are the sample whose share of apps with findings
   * stands for the tenant's. Where it points to reading the whole tenant, that read starts now, beside the
   * directory's pages, and `evidence` takes it.
   */
  anticipate(page: PageShare): void;
  /**
   * What the tenant's scan state keeps for choosing how to read usage, told before the scan's first page:
   * the report's size (a full read that knows it need not read the report's first page to learn it), and
   * the applications the last full read counted (a full read still going projects its share onto them).
   * The choice itself is `decideUsageRead` (usageDecision.ts).
   */
  recall(kept: KeptUsage): void;
  /** The usage report's size as now known (what this scan's reads learned, else what it recalled), for the scan state. */
  knownUsageReport(): UsageReportSize | undefined;
}

/** What a tenant's scan state keeps for its next scans' usage reads (ScanState's fields of those names). */
export interface KeptUsage {
  usageReport: UsageReportSize | undefined;
  tenantApplications: number | undefined;
}

/**
 * One page of a full read: how many applications it held, and the apps whose findings ask for usage (by
 * app id: an application's and its service principal's findings are one app) and for owners (by
 * application object id). Ids, not counts, so an app seen on two pages counts once.
 */
export interface PageShare {
  applications: number;
  usageAppIds: readonly string[];
  ownerObjectIds: readonly string[];
}

/** How much of the tenant a full read has read: all its applications, or the pages `anticipate` has sampled so far. */
export type EvidenceSample = { kind: 'all'; applications: number } | { kind: 'sampled' };
