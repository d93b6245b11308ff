import type { ClassifiedFailure } from './classifyTokenError.js';
import type { Connection } from './Connection.js';
import { toRemediation } from './toRemediation.js';

/**
 * Whether a stored value holds no refresh token: empty (Key Vault accepts one), or only blank characters (spaces,
 * line breaks, tabs, no-break and full-width spaces, a BOM: what `trim` clears; a paste that missed the token),
 * which no token is made of.
 */
export const holdsNoToken = (value: string): boolean => value.trim() === '';

/**
 * A connection whose secret holds no refresh token (holdsNoToken) has none to send: Entra would answer an
 * empty one AADSTS900144 ("lacked a required parameter"), a `configError` that sends a person to the tags
 * and the vault's access, which are fine, and spaces as no token it issued. Only a new sign-in gives a
 * token, which is what `revoked` asks of the owner (as AADSTS70000, a stored value that is no refresh
 * token, does); so it is that, named, and no request is sent.
 */
export function toEmptyTokenFailure(connection: Connection, value: string): ClassifiedFailure {
  const cause = `the secret holds no refresh token (its value is ${value === '' ? 'empty' : 'only spaces, line breaks or other blank characters'})`;
  return {
    failureClass: 'revoked',
    code: 'Token:Empty',
    cause,
    ...toRemediation('revoked', connection, cause),
    correlationId: undefined,
    retryAfterMs: undefined,
  };
}
