import type { Duration } from 'luxon';
import { unchecked, type CheckOutcome } from '../helpers/CheckOutcome.js';
import type { VaultFailure } from '../vault/VaultFailure.js';

/**
 * Why a watched vault could not be listed, as people need it: what happened (status and code only),
 * whether it passes by itself (throttling, an outage) or waits for a person (a missing role, a vault
 * that does not exist), and the role to grant.
 */
export interface VaultProblem {
  code: string;
  reason: string;
  persistent: boolean;
  missingRole?: string | undefined;
}

/**
 * One vault as a source Vigil checks, like a tenant's scan: when it was last listed, and while it
 * cannot be, since when, why, and whether people were told. Typed by status, so a failing vault always
 * has its failure. `secrets` is what the last good listing found, kept while listings fail.
 */
export type VaultHealth =
  | { status: 'ok'; vaultUrl: string; lastCheckedAt: string; lastSuccessAt: string; secrets: number }
  | {
      status: 'failing';
      vaultUrl: string;
      lastCheckedAt: string;
      lastSuccessAt?: string | undefined;
      secrets?: number | undefined;
      failingSince: string;
      consecutiveFailures: number;
      problem: VaultProblem;
      /** The problem code `vault.failed` was published for in this streak, if any. */
      alertedCode?: string | undefined;
    };

/** One listing of one vault by any of Vigil's planners: how many secrets, or what failed. */
export interface VaultCheck {
  vaultUrl: string;
  outcome: CheckOutcome<{ secrets: number }>;
  /** Set when the listing failed: what Key Vault answered (status and code only). */
  failure?: VaultFailure | undefined;
}

/** Listings fail with this: the failure as a value, and a message without any secret. */
export class VaultListingError extends Error {
  constructor(
    readonly vaultUrl: string,
    readonly failure: VaultFailure,
    message: string,
  ) {
    super(message);
    this.name = 'VaultListingError';
  }
}

/** The transient-vs-persistent discipline of the token keeper (VIGIL_TRANSIENT_ALERT_ATTEMPTS/HOURS). */
export interface VaultHealthPolicy {
  transientAlertAttempts: number;
  transientAlertSpan: Duration;
}

/** A listing that threw, as a check: the failure when Key Vault's, else only the message (first line). */
export function failedVaultCheck(vaultUrl: string, error: unknown): VaultCheck {
  const reason = error instanceof Error ? error.message.split('\n')[0]!.slice(0, 300) : String(error);
  return { vaultUrl, outcome: unchecked(reason), ...(error instanceof VaultListingError ? { failure: error.failure } : {}) };
}
