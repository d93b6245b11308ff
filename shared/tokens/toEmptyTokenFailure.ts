import type { ClassifiedFailure } from './classifyTokenError.js';
import type { Connection } from './Connection.js';
import { toRemediation } from './toRemediation.js';

/**
 * A connection whose secret holds an empty value (Key Vault accepts one) has no refresh token to send:
 * Entra would answer AADSTS900144 ("lacked a required parameter"), a `configError` that sends a person
 * to the tags and the vault's access, which are fine. Only a new sign-in gives a token, which is what
 * `revoked` asks of the owner (as AADSTS70000, a stored value that is no refresh token, does); so it is
 * that, named, and no request is sent.
 */
export function toEmptyTokenFailure(connection: Connection): ClassifiedFailure {
  const cause = 'the secret holds no refresh token (its value is empty)';
  return {
    failureClass: 'revoked',
    code: 'Token:Empty',
    cause,
    ...toRemediation('revoked', connection, cause),
    correlationId: undefined,
    retryAfterMs: undefined,
  };
}
