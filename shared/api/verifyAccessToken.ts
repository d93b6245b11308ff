import { createRemoteJWKSet, customFetch, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import type { DateTime } from 'luxon';
import type { AccessOutcome, ApiRole, Caller } from './AccessOutcome.js';
import { classifyTokenFailure } from './classifyTokenFailure.js';
import { fetchOpenIdConfiguration } from './openIdConfiguration.js';

export interface AccessTokenVerifierOptions {
  /** Authority host of Vigil's cloud (`https://login.microsoftonline.com`, or the local cloud's). */
  login: string;
  /** Accepted `aud` values: the API's Application ID URI and/or client id. */
  audiences: string[];
  allowedTenants: string[];
  fetch?: typeof fetch;
}

export interface AccessTokenVerifier {
  verify(token: string, requiredRole: ApiRole, now: DateTime): Promise<AccessOutcome>;
}

type TenantKeys = { issuer: string; keys: ReturnType<typeof createRemoteJWKSet> };

/** Clock skew allowed on exp and nbf, as Microsoft's own token validation allows some (there: 5 min). */
const clockToleranceSeconds = 60;

/**
 * Checks an Entra access token for Vigil's API inside the function, which works on every hosting plan:
 * tenant allowed (before any network call, so a token cannot make Vigil fetch keys of arbitrary tenants),
 * issuer from that tenant's OpenID configuration, signature from its published keys, audience, expiry,
 * then the app role. v2 tokens only: the API's app registration sets `requestedAccessTokenVersion: 2`.
 */
export function createAccessTokenVerifier(options: AccessTokenVerifierOptions): AccessTokenVerifier {
  const allowed = new Set(options.allowedTenants.map((t) => t.toLowerCase()));
  const fetchImpl = options.fetch ?? fetch;
  const cache = new Map<string, TenantKeys>();
  const keysOf = async (tenantId: string): Promise<TenantKeys | string> => {
    const cached = cache.get(tenantId);
    if (cached) return cached;
    const found = await fetchOpenIdConfiguration(options.login, tenantId, fetchImpl);
    if (found.kind === 'failed') return found.reason;
    const keys = createRemoteJWKSet(new URL(found.configuration.jwksUri), { [customFetch]: fetchImpl });
    const entry = { issuer: found.configuration.issuer, keys };
    cache.set(tenantId, entry);
    return entry;
  };
  return {
    async verify(token, requiredRole, now) {
      const unverified = decodeUnverified(token);
      if (!unverified) return { kind: 'unauthenticated', reason: 'malformed' };
      const tenantId = unverified.tid;
      if (!allowed.has(tenantId.toLowerCase())) return { kind: 'unauthenticated', reason: 'tenantNotAllowed', caller: { tenantId } };
      const tenant = await keysOf(tenantId.toLowerCase());
      if (typeof tenant === 'string') return { kind: 'unverifiable', reason: tenant };
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, tenant.keys, {
          issuer: tenant.issuer,
          audience: options.audiences,
          algorithms: ['RS256'],
          currentDate: now.toJSDate(),
          clockTolerance: clockToleranceSeconds,
          requiredClaims: ['exp', 'tid', 'oid'],
        }));
      } catch (error) {
        const reason = classifyTokenFailure(error);
        if (!reason)
          return {
            kind: 'unverifiable',
            reason: `signing keys of ${tenantId} unavailable: ${error instanceof Error ? error.name : 'error'}`,
          };
        return { kind: 'unauthenticated', reason, caller: { tenantId } };
      }
      const caller = toCaller(payload);
      if (!caller) return { kind: 'unauthenticated', reason: 'malformed', caller: { tenantId } };
      return caller.roles.includes(requiredRole)
        ? { kind: 'authorized', caller }
        : { kind: 'forbidden', caller, missingRole: requiredRole };
    },
  };
}

function decodeUnverified(token: string): { tid: string } | undefined {
  try {
    const tid = decodeJwt(token)['tid'];
    return typeof tid === 'string' && tid !== '' ? { tid } : undefined;
  } catch {
    return undefined;
  }
}

function toCaller(payload: JWTPayload): Caller | undefined {
  const text = (name: string): string | undefined => (typeof payload[name] === 'string' ? payload[name] : undefined);
  const appId = text('azp') ?? text('appid');
  const objectId = text('oid');
  const tenantId = text('tid');
  if (!appId || !objectId || !tenantId) return undefined;
  const roles = Array.isArray(payload['roles']) ? payload['roles'].filter((r): r is string => typeof r === 'string') : [];
  const name = text('name') ?? text('preferred_username') ?? text('upn') ?? text('app_displayname') ?? appId;
  return { appId, objectId, tenantId, name, roles, via: 'bearer' };
}
