import { ENTRA_UNAVAILABLE, VIGIL_AUTHENTICATION_FAILED, type VaultFailure } from '../vault/VaultFailure.js';
import type { VaultProblem } from './VaultHealth.js';

/** What Vigil's identity needs on every watched vault: list and read secrets, write refreshed tokens (docs/deploy.md). */
export const WATCHED_VAULT_ROLE = 'Key Vault Secrets Officer';

/**
 * A listing failure in people's words. Throttling and outages pass by themselves (transient); a refusal,
 * a vault that is not there or a request Key Vault rejects waits for a person (persistent). Key Vault
 * answers 403 (ForbiddenByRbac) when the identity lacks the role (learn.microsoft.com/azure/key-vault/general/rest-error-codes).
 */
export function toVaultProblem(failure: VaultFailure | undefined, fallbackReason: string): VaultProblem {
  switch (failure?.kind) {
    case 'forbidden':
      return failure.code === VIGIL_AUTHENTICATION_FAILED
        ? { code: failure.code, reason: 'Vigil could not sign in to Key Vault with its own identity', persistent: true }
        : {
            code: failure.code,
            reason: `Key Vault refused to list the secrets (${failure.code})`,
            persistent: true,
            missingRole: WATCHED_VAULT_ROLE,
          };
    case 'notFound':
      return { code: 'VaultNotFound', reason: 'Key Vault answered 404: the vault does not exist at this URL', persistent: true };
    case 'rejected':
      return { code: failure.code, reason: `Key Vault rejected the listing (HTTP ${failure.status} ${failure.code})`, persistent: true };
    case 'throttled':
      return { code: 'Throttled', reason: 'Key Vault throttled the listing (HTTP 429)', persistent: false };
    case 'unavailable':
      if (failure.code === ENTRA_UNAVAILABLE)
        return {
          code: failure.code,
          reason: "Entra's token endpoint would not give Vigil a token for Key Vault (throttled or failing)",
          persistent: false,
        };
      return {
        code: failure.status === undefined ? failure.code : `HTTP ${failure.status}`,
        reason: `Key Vault could not be reached or failed (${failure.status === undefined ? failure.code : `HTTP ${failure.status} ${failure.code}`})`,
        persistent: false,
      };
    case 'disabled':
    case undefined:
      return { code: 'Unexpected', reason: fallbackReason, persistent: false };
  }
}
