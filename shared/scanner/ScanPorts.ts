import type { DateTime } from 'luxon';
import type { DeltaLinks, ReadFailure } from './DirectoryPager.js';
import type { CredentialFacts, Finding } from './Finding.js';

/** The last good findings of each tenant, by object and key id. */
export interface FindingStore {
  list(tenantId: string): Promise<Finding[]>;
  apply(tenantId: string, change: { upserts: readonly Finding[]; removals: readonly Finding[] }): Promise<void>;
}

/** Credentials that time alone brings onto the ladder before the next full read (upcomingCrossings.ts). */
export interface UpcomingStore {
  list(tenantId: string): Promise<CredentialFacts[]>;
  apply(tenantId: string, change: { upserts: readonly CredentialFacts[]; removals: readonly CredentialFacts[] }): Promise<void>;
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
  lastScan?:
    | { at: string; mode: 'full' | 'delta'; applications: number; servicePrincipals: number; findings: number; durationMs: number }
    | undefined;
}

/** Proof of holding a tenant's scan lease. `holder` is the queue message's id when there is one. */
export interface ScanLease {
  tenantId: string;
  holder: string;
}

export type LeaseOutcome = { kind: 'acquired'; lease: ScanLease; state: ScanState } | { kind: 'busy'; until: string };

/**
 * Scan state with a lease, so two workers given the same tenant (a duplicate queue message, a late
 * timer) never scan it at once: take the lease, then read, scan and release with the new state. The
 * same holder may take its own lease back (a message redelivered after its first try failed).
 */
export interface ScanStateStore {
  acquire(tenantId: string, now: DateTime, holder: string): Promise<LeaseOutcome>;
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
