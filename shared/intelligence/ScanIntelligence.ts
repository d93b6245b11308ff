import type { TenantPolicies } from './AppPolicy.js';
import type { UsageEvidence } from './CredentialUsage.js';

/** What hygiene and advice need from a tenant's directory before its credentials are judged. */
export interface IntelligenceContext {
  policies: TenantPolicies;
  /** Object ids (lower case) of applications with at least one federated identity credential; empty when unknown. */
  federatedApps: ReadonlySet<string>;
  /** Why `federatedApps` could not be read, when it could not. */
  federatedUnknown?: string | undefined;
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
   * `tenantApplications`: how many applications the tenant holds, when the scan has just read them all (a
   * full read); without it the tenant's size is asked of Graph where that decides how to read.
   */
  evidence(request: {
    appIds: readonly string[];
    applicationObjectIds: readonly string[];
    tenantApplications?: number | undefined;
  }): Promise<CredentialEvidence>;
}
