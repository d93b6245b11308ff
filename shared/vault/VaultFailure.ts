/**
 * Why Key Vault did not do what was asked, as a value: status and service code only. The one failure type
 * of every Key Vault port (token keeper, rotation, inventory, channel secrets); `toVaultFailure` in
 * `shared/adapters/keyVault/` is the one place that maps the SDK's errors to it.
 * - `notFound`: no such secret (or vault); `disabled`: the asked version is disabled;
 * - `forbidden`: Vigil's identity lacks the role, or could not get a token (`VigilAuthenticationFailed`);
 * - `throttled` and `unavailable`: pass by themselves, try again later;
 * - `rejected`: Key Vault refused the request as made.
 */
export type VaultFailure =
  | { kind: 'notFound' }
  | { kind: 'disabled' }
  | { kind: 'forbidden'; code: string }
  | { kind: 'throttled'; retryAfterMs: number | undefined }
  | { kind: 'unavailable'; status: number | undefined; code: string }
  | { kind: 'rejected'; status: number; code: string };

export type VaultResult<T> = { ok: true; value: T } | { ok: false; failure: VaultFailure };

/** The code `toVaultFailure` gives a call that never left because Vigil could not get a token for Key Vault. */
export const VIGIL_AUTHENTICATION_FAILED = 'VigilAuthenticationFailed';

/** The code `toVaultFailure` gives a call that never left because Entra would not give Vigil a token (throttled or failing). */
export const ENTRA_UNAVAILABLE = 'EntraTokenUnavailable';

/** Throttling and outages pass by themselves: trying again later may help. Nothing else does without a person. */
export function isTransientVaultFailure(failure: VaultFailure): boolean {
  return failure.kind === 'throttled' || failure.kind === 'unavailable';
}

/** A short, secret-free description of a failure for reasons and logs. */
export function describeVaultFailure(failure: VaultFailure): string {
  switch (failure.kind) {
    case 'notFound':
      return 'HTTP 404 not found';
    case 'disabled':
      return 'the secret is disabled';
    case 'forbidden':
      return failure.code === VIGIL_AUTHENTICATION_FAILED ? 'Vigil could not get a token for Key Vault' : `forbidden: ${failure.code}`;
    case 'throttled':
      return 'HTTP 429';
    case 'unavailable':
      return failure.status === undefined ? failure.code : `HTTP ${failure.status} ${failure.code}`;
    case 'rejected':
      return `HTTP ${failure.status} ${failure.code}`;
  }
}
