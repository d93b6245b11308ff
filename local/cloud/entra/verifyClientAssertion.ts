import { constants, createHash, verify, X509Certificate } from 'node:crypto';
import type { ApplicationRecord, KeyCredentialRecord } from '../state/model.js';
import type { EntraFailureSpec } from './tokenRequest.js';

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

interface AssertionHeader {
  alg?: unknown;
  x5t?: unknown;
  'x5t#S256'?: unknown;
}
interface AssertionClaims {
  aud?: unknown;
  iss?: unknown;
  sub?: unknown;
  exp?: unknown;
  nbf?: unknown;
  jti?: unknown;
}

/** Assertion ids already presented, per app, until their assertion expires: a replayed assertion is refused. */
export type SeenAssertions = Map<string, number>;

/**
 * Checks a certificate client assertion (RFC 7523, `private_key_jwt`) the way Entra does: the `x5t`
 * (SHA-1) or `x5t#S256` thumbprint names one of the app's uploaded certificates, whose key must verify
 * the RS256 or PS256 signature; `iss` and `sub` are the client id, `aud` the token endpoint, and the
 * assertion and the certificate's key credential are within their validity, and its `jti` was not
 * presented before (RFC 7523 §3: the server may refuse a replayed assertion; refused as an invalid JWT,
 * 50027, since Entra documents no code of its own for it). Wording of the refusals is modelled on
 * Entra's; the codes are the documented ones (700027, 700024, 700021, 50027). Entra documents no upper
 * bound on `exp` ("certificate credentials"), so none is enforced.
 */
export function verifyClientAssertion(
  app: ApplicationRecord,
  assertion: string,
  tokenEndpoints: readonly string[],
  nowMs: number,
  seen: SeenAssertions,
): EntraFailureSpec | KeyCredentialRecord {
  const parts = assertion.split('.');
  const [header, claims] = [decode<AssertionHeader>(parts[0]), decode<AssertionClaims>(parts[1])];
  if (parts.length !== 3 || !header || !claims) return malformed('the client assertion is not a signed JWT');
  const thumbprint = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : typeof header.x5t === 'string' ? header.x5t : '';
  const match = app.keyCredentials
    .map((k) => ({ k, cert: certificateOf(k) }))
    .find(({ cert }) => cert && thumbprintsOf(cert).includes(thumbprint));
  if (!match?.cert) return invalidKey(app, thumbprint, 'The key was not found.');
  if (Date.parse(match.k.endDateTime) <= nowMs || Date.parse(match.k.startDateTime) > nowMs)
    return invalidKey(app, thumbprint, 'The key used is expired.');
  const padding =
    header.alg === 'PS256'
      ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
      : header.alg === 'RS256'
        ? { padding: constants.RSA_PKCS1_PADDING }
        : undefined;
  if (!padding) return malformed(`the client assertion's algorithm ${String(header.alg)} is not RS256 or PS256`);
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  if (!verify('sha256', signed, { key: match.cert.publicKey, ...padding }, Buffer.from(parts[2]!, 'base64url')))
    return { status: 401, error: 'invalid_client', code: 700027, description: 'Client assertion failed signature validation.' };
  if (claims.iss !== app.appId || claims.sub !== app.appId)
    return {
      status: 401,
      error: 'invalid_client',
      code: 700021,
      description: "Client assertion application identifier doesn't match 'client_id' parameter.",
    };
  if (typeof claims.aud !== 'string' || !tokenEndpoints.includes(claims.aud))
    return malformed(`the client assertion's audience ${String(claims.aud)} is not this token endpoint`);
  const nowSeconds = nowMs / 1000;
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds || (typeof claims.nbf === 'number' && claims.nbf > nowSeconds + 300))
    return { status: 401, error: 'invalid_client', code: 700024, description: 'Client assertion is not within its valid time range.' };
  if (typeof claims.jti !== 'string' || claims.jti === '') return malformed('the client assertion has no jti');
  for (const [key, expiresMs] of seen) if (expiresMs <= nowMs) seen.delete(key);
  const key = `${app.appId}/${claims.jti}`;
  if (seen.has(key)) return malformed('the client assertion was already used (its jti was presented before)');
  seen.set(key, claims.exp * 1000);
  return match.k;
}

function decode<T>(segment: string | undefined): T | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment ?? '', 'base64url').toString('utf8'));
    return value && typeof value === 'object' ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

function certificateOf(key: KeyCredentialRecord): X509Certificate | undefined {
  if (!key.key || key.usage !== 'Verify') return undefined;
  try {
    return new X509Certificate(Buffer.from(key.key, 'base64'));
  } catch {
    return undefined;
  }
}

/** The certificate's thumbprints as a JWT header carries them: base64url of the SHA-1 and SHA-256 digests of its DER. */
function thumbprintsOf(cert: X509Certificate): string[] {
  return ['sha1', 'sha256'].map((algorithm) => createHash(algorithm).update(cert.raw).digest('base64url'));
}

function invalidKey(app: ApplicationRecord, thumbprint: string, reason: string): EntraFailureSpec {
  return {
    status: 401,
    error: 'invalid_client',
    code: 700027,
    description: `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - ${reason}, Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.appId}'.]`,
  };
}

function malformed(why: string): EntraFailureSpec {
  return { status: 401, error: 'invalid_client', code: 50027, description: `JWT token is invalid or malformed: ${why}.` };
}
