import type { DateTime } from 'luxon';
import type { AccessOutcome, ApiRole } from './AccessOutcome.js';
import { readPlatformPrincipal } from './readPlatformPrincipal.js';
import type { AccessTokenVerifier } from './verifyAccessToken.js';

export interface AccessPolicy {
  verifier: AccessTokenVerifier;
  allowedTenants: string[];
  /** VIGIL_TRUST_PLATFORM_AUTH: App Service Authentication runs in front of the app. */
  trustPlatformAuth: boolean;
}

/**
 * Decides whether a request may act with `role`. A bearer token is always checked here. The platform's
 * `x-ms-client-principal` header counts only when the setting says the platform's authentication is on;
 * otherwise a request that brings only that header is refused (and audited) as a likely forgery.
 */
export async function authenticateRequest(
  headers: { get(name: string): string | null },
  role: ApiRole,
  policy: AccessPolicy,
  now: DateTime,
): Promise<AccessOutcome> {
  const authorization = headers.get('authorization');
  const principalHeader = headers.get('x-ms-client-principal');
  if (policy.trustPlatformAuth && principalHeader) {
    const caller = readPlatformPrincipal(principalHeader);
    if (!caller) return { kind: 'unauthenticated', reason: 'malformed' };
    if (!policy.allowedTenants.some((t) => t.toLowerCase() === caller.tenantId.toLowerCase()))
      return { kind: 'unauthenticated', reason: 'tenantNotAllowed', caller: { tenantId: caller.tenantId } };
    return caller.roles.includes(role) ? { kind: 'authorized', caller } : { kind: 'forbidden', caller, missingRole: role };
  }
  if (!authorization) return { kind: 'unauthenticated', reason: principalHeader ? 'untrustedPrincipalHeader' : 'missingToken' };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) return { kind: 'unauthenticated', reason: 'malformed' };
  return policy.verifier.verify(match[1]!, role, now);
}
