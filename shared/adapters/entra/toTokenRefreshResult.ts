import type { TokenFailure, TokenGrant } from '../../tokens/TokenPorts.js';
import { parseRetryAfter } from '../http/parseRetryAfter.js';
import { readAadstsCodes } from './readAadstsCodes.js';
import { positiveNumber } from './positiveNumber.js';
import type { TokenAnswer } from './postTokenRequest.js';

/**
 * Checks the token endpoint's answer: a 200 with tokens becomes a grant; anything else a rejection
 * carrying `error`, `suberror`, the AADSTS codes (readAadstsCodes), the correlation id and `Retry-After`,
 * and never `error_description` itself (Vigil classifies by code, and a description is free text). A
 * Retry-After date is read against `nowMs`, the clock the token endpoint's answers are dated by.
 */
export function toTokenRefreshResult(answer: TokenAnswer, clientRequestId: string, nowMs = Date.now()): TokenGrant | TokenFailure {
  const { body } = answer;
  const ok = answer.status >= 200 && answer.status < 300;
  if (ok && typeof body['access_token'] === 'string') {
    return {
      kind: 'granted',
      refreshToken: nonEmptyString(body['refresh_token']),
      grantedScopes: (nonEmptyString(body['scope']) ?? '').split(' ').filter(Boolean),
      refreshTokenExpiresIn: positiveNumber(body['refresh_token_expires_in']),
      correlationId: answer.header('client-request-id') ?? clientRequestId,
    };
  }
  return {
    kind: 'rejected',
    // A 200 without an access token is a broken answer: report it as such rather than as success.
    status: ok ? 502 : answer.status,
    error: nonEmptyString(body['error']),
    suberror: nonEmptyString(body['suberror']),
    codes: readAadstsCodes(body),
    correlationId: nonEmptyString(body['correlation_id']) ?? clientRequestId,
    retryAfterMs: parseRetryAfter(answer.header('retry-after'), nowMs),
  };
}

const nonEmptyString = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
