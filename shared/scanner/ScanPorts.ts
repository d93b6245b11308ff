import type { DateTime } from 'luxon';
import type { EventPublisher } from '../events/EventPublisher.js';
import type { Severity } from '../events/vigilEvent.js';
import type { DirectoryPager } from './DirectoryPager.js';
import type { DeltaLinks, ReadFailure } from './DirectoryPager.js';
import type { CredentialFacts, Finding } from './Finding.js';
import type { FindingCounts } from './tallyFindings.js';
import type { UsageReportSize } from '../intelligence/evidenceReads.js';
import type { KeptFindings } from './KeptFindings.js';
import type { KeptIntelligence, ScanIntelligence } from '../intelligence/ScanIntelligence.js';

/** What changed in a tenant's findings; `before` holds the stored version of each, by finding key. */
export interface FindingChange {
  upserts: readonly Finding[];
  removals: readonly Finding[];
  before: ReadonlyMap<string, Finding>;
}

/** Writes findings as a scan judges them, a page at a time; `close` when the read is done. */
export interface FindingWriter {
  put(findings: readonly Finding[]): Promise<void>;
  close(): Promise<void>;
}

/** What a findings list may ask for; whatever it returns comes most urgent first. */
export interface FindingQuery {
  tenantId?: string | undefined;
  severities?: readonly Severity[] | undefined;
  /** Credentials that end at most this many days from now (negative: ended at least that long ago). */
  maxDaysLeft?: number | undefined;
}

export interface FindingPage {
  findings: Finding[];
  /** Opaque: where the next page starts; absent on the last page. */
  next?: string | undefined;
}

/** The findings lists: a page at a time, sorted and filtered by the store; a bad `after` throws `InvalidPageToken`. */
export interface FindingLister {
  page(query: FindingQuery, options: { size: number; after?: string | undefined; nowMs: number }): Promise<FindingPage>;
}

/** The last good findings of each tenant, by object and key id. */
export interface FindingStore {
  /**
   * The layout this store keeps rows in. A tenant's scan state records it (`findingsLayout`) once the
   * tenant's rows are in it; until then the scan lists them with `upgrade`.
   */
  readonly layout: number;
  /** `upgrade`: first brings rows an earlier layout left into this one (done again harmlessly if the scan fails). */
  list(tenantId: string, options?: { upgrade?: boolean }): Promise<Finding[]>;
  /** The same as `list`, held compactly while a scan runs: what the scan compares its findings with (KeptFindings.ts). */
  kept(tenantId: string, options?: { upgrade?: boolean }): Promise<KeptFindings>;
  apply(tenantId: string, change: FindingChange): Promise<void>;
  /**
   * For a first scan: its findings stored while the directory is still being read. `before` is what an
   * earlier, failed attempt left: a finding stored there under another address (its severity or end
   * moved since) has its old rows removed, as `apply` does.
   */
  open(before: ReadonlyMap<string, Finding>): FindingWriter;
}

/** Credentials that time alone brings onto the ladder before the next full read (upcomingCrossings.ts). */
export interface UpcomingStore {
  list(tenantId: string): Promise<CredentialFacts[]>;
  apply(tenantId: string, change: { upserts: readonly CredentialFacts[]; removals: readonly CredentialFacts[] }): Promise<void>;
}

/** The last good scan: what it read and, for the status page, how many findings of each severity it left. */
export interface LastScan {
  at: string;
  mode: 'full' | 'delta';
  applications: number;
  servicePrincipals: number;
  findings: number;
  durationMs: number;
  /** Absent on a scan recorded by an earlier version. */
  counts?: FindingCounts | undefined;
}

/** What Vigil remembers about a tenant's scans between runs. */
export interface ScanState {
  tenantId: string;
  deltaLinks?: DeltaLinks | undefined;
  lastFullScanAt?: string | undefined;
  lastSuccessAt?: string | undefined;
  /** Set while the tenant cannot be scanned: since when, and why. */
  failingSince?: string | undefined;
  failure?: ReadFailure | undefined;
  lastScan?: LastScan | undefined;
  /**
   * The policies and federated apps the last read judged with, and when they were read: a delta read
   * judges with them while they are younger than the full-scan interval, instead of reading them again
   * (freshIntelligence.ts). Absent when never read, or too large to keep: then every read reads them.
   */
  intelligence?: KeptIntelligence | undefined;
  /** The findings store's layout the tenant's rows are in (FindingStore.layout); absent: not known to be the current one. */
  findingsLayout?: number | undefined;
  /**
   * The usage report's size as the last read of it found it (`ScanIntelligence.knownUsageReport`): a full
   * read chooses how to read usage by it instead of first reading the report's first page. Absent: not known.
   */
  usageReport?: UsageReportSize | undefined;
  /**
   * The applications the tenant's last good full read counted (a delta's count is of changes only): a full
   * read still going projects its pages' share of apps asking for usage onto it (`ScanIntelligence.recall`).
   */
  tenantApplications?: number | undefined;
}

/** Proof of holding a tenant's scan lease. `holder` is the queue message's id when there is one. */
export interface ScanLease {
  tenantId: string;
  holder: string;
  /** Opaque to the scan: the store's version of the state as the lease left it, so a release can write without reading first. */
  version?: string | undefined;
}

/** Whether the lease a `StateRead` offers was taken: only then may the scan write or publish anything. */
export type ClaimOutcome = { kind: 'acquired'; lease: ScanLease } | { kind: 'busy'; until: string };

/**
 * A tenant's state as read before its lease is taken: the scan starts its reads from it (Graph, the last
 * findings) while `claim` takes the lease, on the condition that the row is still as it was read. A claim
 * that loses (another holder took the tenant since) makes everything read meanwhile worthless: the scan
 * writes and publishes nothing. `stored: false`: the tenant has no row, so no scan ever stored anything for
 * it (the lease row comes first): there are no findings or upcoming crossings to read.
 */
export type StateRead =
  { kind: 'free'; state: ScanState; stored: boolean; claim(): Promise<ClaimOutcome> } | { kind: 'busy'; until: string };

/**
 * Scan state with a lease, so two workers given the same tenant (a duplicate queue message, a late
 * timer) never scan it at once: read the state, take the lease over the row as read, scan and release
 * with the new state. The same holder may take its own lease back (a message redelivered after its first
 * try failed).
 */
export interface ScanStateStore {
  /** Reads the state and says whether the tenant is free, without taking it (`StateRead`). */
  read(tenantId: string, now: DateTime, holder: string): Promise<StateRead>;
  /** Saves the state and frees the lease; false (nothing written) when another holder took it meanwhile. */
  release(lease: ScanLease, state: ScanState): Promise<boolean>;
}

/** A token connection that names a vault secret as its client secret (`vigil-client-secret-name`). */
export interface ConnectionUse {
  /** The connection's own secret name, in the same vault. */
  name: string;
  /** Its `vigil-client-id`: the app whose secret it signs in with. */
  clientId: string;
  downstream: string | null;
}

/** A secret in a watched vault, from its properties and tags alone (never its value). */
export interface VaultIndexEntry {
  tenantId: string;
  vaultUrl: string;
  secretName: string;
  enabled: boolean;
  expiresOn: string | null;
  /** The Entra credential this secret copies, from its tags. */
  copyOf: { appId: string; keyId: string } | null;
  /** Token connections in the same vault that sign in with this secret: what stops when it lapses. */
  usedBy: ConnectionUse[];
}

export interface VaultIndexReader {
  list(tenantId: string): Promise<VaultIndexEntry[]>;
}

/** What `scanTenant` needs for one tenant. */
export interface ScanDependencies {
  pager: DirectoryPager;
  findings: FindingStore;
  upcoming: UpcomingStore;
  state: ScanStateStore;
  vaultIndex: VaultIndexReader;
  /** Policies, federated apps, usage and owners: what judges a credential beyond its dates. */
  intel: ScanIntelligence;
  events: EventPublisher;
  /** Milliseconds since the scan started, for `scan.completed`. */
  elapsedMs(): number;
}

/** The scan planner's queue: one message per tenant, the same message the hourly plan sends. */
export interface ScanQueue {
  enqueue(tenantId: string): Promise<void>;
}

/** Where the watched vaults' secrets are indexed for the tenant scans, one vault at a time. */
export interface VaultIndexWriter {
  replaceVault(vaultUrl: string, entries: readonly VaultIndexEntry[]): Promise<void>;
}
