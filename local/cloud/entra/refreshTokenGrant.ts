import { sha256 } from '../state/credentials.js';
import type { RefreshTokenRecord, UserRecord } from '../state/model.js';
import type { TenantDirectory } from '../state/TenantDirectory.js';
import { authenticateClient, missingParameter } from './authenticateClient.js';
import { checkRequestedScopes } from './checkRequestedScopes.js';
import { delegatedTokenResponse, toResourceScopes } from './delegatedTokenResponse.js';
import { isFailure, type EntraFailureSpec, type TokenRequest, type TokenResponse } from './tokenRequest.js';

/** Entra's inactivity window for refresh tokens of confidential and public clients (not SPAs). */
export const REFRESH_TOKEN_LIFETIME_MS = 90 * 86_400_000;

/**
 * `grant_type=refresh_token`. Every use returns a new refresh token while the presented one stays valid
 * until its own 90 days run out, as Entra does; unknown resources and scopes, revocation, disabled users,
 * withdrawn consent and MFA demands give the AADSTS codes Entra sends for them. A token from an interactive
 * sign-in (authorization code) satisfied MFA, and so do the tokens it rotates into.
 */
export async function refreshTokenGrant(request: TokenRequest): Promise<TokenResponse | EntraFailureSpec> {
  const { ctx, tenant, form } = request;
  const presented = form.get('refresh_token');
  if (!presented) return missingParameter('refresh_token');
  const client = authenticateClient(ctx.store, tenant, form, request.tokenEndpoints);
  if (isFailure(client)) return client;
  const record = tenant.refreshToken(sha256(presented));
  if (!record || record.clientAppId !== client.app.appId) {
    return {
      error: 'invalid_grant',
      code: 70000,
      description: "The provided value for the input parameter 'refresh_token' or 'assertion' is not valid.",
    };
  }
  const requested = (form.get('scope') ?? record.scopes.join(' ')).split(' ').filter(Boolean);
  const invalidScope = checkRequestedScopes(ctx.store, request.cloud, tenant, requested);
  if (invalidScope) return invalidScope;
  const user = tenant.user(record.userId);
  const refusal = refuse(ctx.store.now(), tenant, record, user, form.get('scope'));
  if (refusal || !user) return refusal ?? unknownUser(tenant);

  // A rotated token keeps the grant, and the MFA claim of the sign-in it came from.
  const { hash: _hash, issuedAt: _issuedAt, ...grant } = record;
  return delegatedTokenResponse(request, client.app.appId, user, toResourceScopes(requested), grant);
}

function unknownUser(tenant: TenantDirectory): EntraFailureSpec {
  return {
    error: 'invalid_grant',
    code: 50034,
    description: `The user account does not exist in the ${tenant.record.defaultDomain} directory. To sign into this application, the account must be added to the directory.`,
  };
}

function refuse(
  now: Date,
  tenant: TenantDirectory,
  record: RefreshTokenRecord,
  user: UserRecord | undefined,
  scope: string | null,
): EntraFailureSpec | undefined {
  const issued = Date.parse(record.issuedAt);
  if (!user) return unknownUser(tenant);
  if (now.getTime() - issued > REFRESH_TOKEN_LIFETIME_MS) {
    const inactive = Math.floor((now.getTime() - issued) / 86_400_000);
    return {
      error: 'invalid_grant',
      code: 700082,
      suberror: 'bad_token',
      description: `The refresh token has expired due to inactivity. The token was issued on ${record.issuedAt} and was inactive for 90.00:00:00 (${inactive} days since issue).`,
    };
  }
  if (!user.accountEnabled) return { error: 'invalid_grant', code: 50057, description: 'The user account is disabled.' };
  if (issued < Date.parse(user.refreshTokensValidFromDateTime)) {
    return {
      error: 'invalid_grant',
      code: 50173,
      suberror: 'bad_token',
      description: `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${record.issuedAt}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${user.refreshTokensValidFromDateTime}'.`,
    };
  }
  const grant = tenant.grant(record.clientAppId, user.id);
  const wanted = toResourceScopes((scope ?? '').split(' ').filter(Boolean));
  if (!grant || wanted.some((s) => !grant.scopes.includes(s))) {
    return {
      error: 'invalid_grant',
      code: 65001,
      suberror: 'consent_required',
      description: `The user or administrator has not consented to use the application with ID '${record.clientAppId}'. Send an interactive authorization request for this user and resource.`,
    };
  }
  if (user.requiresMfa && !record.mfa) {
    return {
      error: 'invalid_grant',
      code: 50076,
      suberror: 'basic_action',
      description: `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${wanted[0] ?? record.scopes[0] ?? 'the resource'}'.`,
    };
  }
  return undefined;
}
