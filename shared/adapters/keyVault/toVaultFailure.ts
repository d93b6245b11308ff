import { VaultListingError } from '../../inventory/VaultHealth.js';
import { ENTRA_UNAVAILABLE, VIGIL_AUTHENTICATION_FAILED, type VaultFailure } from '../../vault/VaultFailure.js';
import { isCredentialError, tokenEndpointStatus } from '../azure/isCredentialError.js';
import { describeError } from '../../helpers/describeError.js';
import { parseRetryAfter } from '../http/parseRetryAfter.js';

interface SdkError {
  name?: string;
  statusCode?: number;
  code?: string;
  details?: { error?: { innerError?: { code?: string }; innererror?: { code?: string } } };
  response?: { headers?: { get(name: string): string | undefined } };
}

/**
 * Translates a Key Vault SDK error into a value: status, service code and Retry-After only. The SDK's
 * error also holds the request (a PUT's body is the token), so nothing else of it is ever passed on.
 */
export function toVaultFailure(error: unknown): VaultFailure {
  const e = error as Error & SdkError;
  if (isCredentialError(e)) {
    // Entra throttling or failing Vigil's token request is an outage that passes, not a missing identity.
    const status = tokenEndpointStatus(e);
    if (status !== undefined && (status === 429 || status >= 500))
      return { kind: 'unavailable', status: undefined, code: ENTRA_UNAVAILABLE };
    return { kind: 'forbidden', code: VIGIL_AUTHENTICATION_FAILED };
  }
  if (e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError'))
    return { kind: 'unavailable', status: undefined, code: e.name };
  // Anything but the SDK's RestError is a bug of ours, and propagates.
  if (!(e instanceof Error) || e.name !== 'RestError') throw error;
  const status = e.statusCode;
  const inner = e.details?.error?.innerError?.code ?? e.details?.error?.innererror?.code;
  if (status === 404) return { kind: 'notFound' };
  if (status === 403 && inner === 'SecretDisabled') return { kind: 'disabled' };
  if (status === 401 || status === 403) return { kind: 'forbidden', code: inner ?? e.code ?? `HTTP ${status}` };
  if (status === 429) return { kind: 'throttled', retryAfterMs: parseRetryAfter(e.response?.headers?.get('retry-after'), Date.now()) };
  if (status === undefined || status >= 500 || status === 408) return { kind: 'unavailable', status, code: e.code ?? e.name };
  return { kind: 'rejected', status, code: e.code ?? `HTTP ${status}` };
}

/**
 * A listing that failed, as the core reads it: the failure as a value (none for an error that is not
 * Key Vault's, which the core reports as unexpected) and a secret-free message.
 */
export function toVaultListingError(vaultUrl: string, error: unknown): VaultListingError {
  let failure: VaultFailure | undefined;
  try {
    failure = toVaultFailure(error);
  } catch {
    failure = undefined;
  }
  return new VaultListingError(
    vaultUrl,
    failure ?? { kind: 'unavailable', status: undefined, code: 'unexpected' },
    `Key Vault ${vaultUrl}: ${describeError(error)}`,
  );
}
