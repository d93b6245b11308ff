import type { VaultResult } from '../vault/VaultFailure.js';
import { withRetries } from './withRetries.js';
import type { Sleep } from '../helpers/sleep.js';

/**
 * Key Vault calls retried in the core, with the SDK's own retries off so every wait is injectable:
 * throttling (429, honouring Retry-After) up to 8 times, outages (5xx, network) up to 3 times.
 */
export function withVaultRetries<T>(call: () => Promise<VaultResult<T>>, sleep: Sleep): Promise<VaultResult<T>> {
  let outages = 0;
  return withRetries(
    call,
    (result) => {
      if (result.ok) return { retry: false };
      if (result.failure.kind === 'throttled') return { retry: true, retryAfterMs: result.failure.retryAfterMs };
      if (result.failure.kind === 'unavailable') return { retry: ++outages < 3 };
      return { retry: false };
    },
    { maxAttempts: 8, sleep },
  );
}
