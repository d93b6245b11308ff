import type { PasswordCredentialInfo } from './Rotation.js';

/** What doing one step of a rotation came to; `nextStep` turns it into the next state. */
export type StepOutcome =
  /** The new secret exists in Entra and in Key Vault (or a crashed run's pair was found and adopted). */
  | { kind: 'secretStored'; newCredential: PasswordCredentialInfo; vaultVersion: string; orphansRemoved: string[]; adopted: boolean }
  /** Key Vault refused the new secret; the new Entra secret was removed again (or could not be). */
  | { kind: 'vaultWriteFailed'; newKeyId: string; reason: string; newSecretRemoved: boolean }
  /** A call to Graph or Key Vault failed; transient failures are tried again later. */
  | { kind: 'stepFailed'; reason: string; transient: boolean }
  /**
   * addPassword may have added the secret, but its text never arrived (no answer, a gateway's 5xx, a 2xx without
   * it): a secret named `displayName` may exist that nothing holds. Removing it is the step's next try (its
   * orphan clean-up) or the roll-back's.
   */
  | { kind: 'secretMayExist'; reason: string; displayName: string }
  /** The step was interrupted too often (crashes): give up on it. */
  | { kind: 'abandoned'; reason: string }
  | { kind: 'verified'; tries: number }
  /** A token request with the new secret did not succeed within this run's retries. */
  | { kind: 'notVerified'; reason: string; tries: number }
  | { kind: 'notified' }
  /** `evidence`: why it was safe: no sign-in since the new secret was stored, usage unknown, or expired. */
  | { kind: 'retired'; evidence: string }
  | { kind: 'alreadyRetired' }
  /** The old secret still signs in since the new one was stored: it stays, and is checked again later. */
  | { kind: 'retireDeferred'; lastSignIn: string; resource: string | null; holders: string[] }
  | { kind: 'rolledBack'; removedKeyIds: string[]; vault: 'restored' | 'disabled' | 'untouched'; restoredVersion?: string };

/** Attempts and delays of the state machine, as numbers a test can name. */
export interface RotationLimits {
  /** Tries of one step (including verification rounds) before it fails or rolls back. */
  maxAttempts: number;
  /** Wait before trying a step again. */
  retryDelayMinutes: number;
  /** How long a run holds a rotation; longer than a run can take (host.json functionTimeout 10 min). */
  leaseMinutes: number;
}

/**
 * How long a roll-back after an addPassword that may have added a secret waits before it reads the app's secrets:
 * Entra replicates a write asynchronously, so a read at once may not show the secret yet (learn.microsoft.com,
 * "Designing for eventual consistency for Microsoft Entra").
 */
export const directoryReadLagMinutes = 2;

export const rotationLimits: RotationLimits = { maxAttempts: 3, retryDelayMinutes: 5, leaseMinutes: 11 };
