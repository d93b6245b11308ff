import { VaultListingError } from '../../inventory/VaultHealth.js';
import { ENTRA_UNAVAILABLE, VIGIL_AUTHENTICATION_FAILED, type VaultFailure } from '../../vault/VaultFailure.js';
import { isCredentialError, tokenEndpointStatus } from '../../helpers/isCredentialError.js';
import { describeError } from '../../helpers/describeError.js';
import { parseRetryAfter } from '../http/parseRetryAfter.js';
import { toErrorTrace } from '../http/toErrorTrace.js';
import { statusOf } from '../azure/isTransientStatus.js';

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
  // Anything but the SDK's RestError is a bug of ours, and propagates, without its message (toKeyVaultFault).
  if (!(e instanceof Error) || e.name !== 'RestError') throw toKeyVaultFault(error);
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
  const { failure, described } = classified(error);
  return new VaultListingError(
    vaultUrl,
    failure ?? { kind: 'unavailable', status: undefined, code: 'unexpected' },
    `Key Vault ${vaultUrl}: ${describeError(described)}`,
  );
}

/** A Key Vault call's error as it may be described: the SDK's own, or toKeyVaultFault's stand-in for any other. */
export function toDescribableVaultError(error: unknown): unknown {
  return classified(error).described;
}

/** toVaultFailure without the throw: Key Vault's failure and its error, or none and toKeyVaultFault's stand-in. */
function classified(error: unknown): { failure: VaultFailure | undefined; described: unknown } {
  try {
    return { failure: toVaultFailure(error), described: error };
  } catch (fault) {
    return { failure: undefined, described: fault };
  }
}

/**
 * What the host's log and describeError may keep of an error a Key Vault call met that is no answer of Key Vault's (not the
 * SDK's RestError): a TypeError from a vault URL that makes no URL (whose `input` holds it), the SDK's plain Error refusing
 * an http vault ("Cannot connect to http://<vault>/secrets/<name>/… while allowInsecureConnection is false"), a Node
 * error naming a host and path. Kept: its class and Node's code (toErrorTrace), its status if any, and its stack's
 * frames. Never its message or other fields, which can name the vault's host and the secret; no `cause` either, which
 * the host's log would print whole.
 */
export function toKeyVaultFault(error: unknown): Error {
  const [kind, ...frames] = toErrorTrace(error).split('\n');
  const status = statusOf(error);
  const fault = new Error(
    refusesInsecureUrl(error)
      ? `A Key Vault call was not sent: the Key Vault URL is not https`
      : `A Key Vault call failed with ${kind}${status === undefined ? '' : `, HTTP ${status}`}, not with an answer of Key Vault's`,
  );
  fault.stack = [`Error: ${fault.message}`, ...frames].join('\n');
  return fault;
}

/**
 * The SDK's refusal of a URL that is not https, by its fixed text (@typespec/ts-http-runtime's node HTTP client:
 * "Cannot connect to <url> while allowInsecureConnection is false."; its bearer token policy: "Authentication is
 * not permitted for non-TLS protected (non-https) URLs when allowInsecureConnection is false."): the one fact in
 * its message a person can act on, read without passing on the URL it quotes.
 */
function refusesInsecureUrl(error: unknown): boolean {
  return error instanceof Error && error.name === 'Error' && / allowInsecureConnection is false\.?$/.test(error.message);
}
