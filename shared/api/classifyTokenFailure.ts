import type { UnauthenticatedReason } from './AccessOutcome.js';

/**
 * Maps a jose verification error to a stable reason, by its documented `code` and `claim`
 * (jose `util/errors`). `undefined` means the error is not about the token (keys unreachable).
 */
export function classifyTokenFailure(error: unknown): UnauthenticatedReason | undefined {
  const { code, claim } = (error ?? {}) as { code?: string; claim?: string };
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'iss') return 'wrongIssuer';
      if (claim === 'aud') return 'wrongAudience';
      if (claim === 'nbf' || claim === 'iat') return 'notYetValid';
      return 'malformed';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'badSignature';
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'unknownKey';
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
    case 'ERR_JWK_INVALID':
      return 'malformed';
    default:
      return undefined;
  }
}
