import { sha256 } from '../state/CloudStore.js';
import { delegatedTokenResponse, toResourceScopes } from './delegatedTokenResponse.js';
import type { RefreshTokenRecord, TenantRecord, UserRecord } from '../state/model.js';
import { authenticateClient, missingParameter } from './authenticateClient.js';
import { isFailure, type EntraFailureSpec, type TokenRequest, type TokenResponse } from './tokenRequest.js';

/** Entra's inactivity window for refresh tokens of confidential and public clients (not SPAs). */
export const REFRESH_TOKEN_LIFETIME_MS = 90 * 86_400_000;

/**
 * `grant_type=refresh_token`. Every use returns a new refresh token while the presented one stays valid
 * until its own 90 days run out, as Entra does; revocation, disabled users, withdrawn consent and MFA
 * demands give the AADSTS codes Entra sends for them.
 */
export async function refreshTokenGrant(request: TokenRequest): Promise<TokenResponse | EntraFailureSpec> {
  const { ctx, tenant, form } = request;
  const presented = form.get('refresh_token');
  if (!presented) return missingParameter('refresh_token');
  const client = authenticateClient(ctx.store, tenant, form, request.tokenEndpoints);
  if (isFailure(client)) return client;
  const presentedHash = sha256(presented);
  const record = tenant.refreshTokens.find((r) => r.hash === presentedHash);
  if (!record || record.clientAppId !== client.app.appId) {
    return {
      error: 'invalid_grant',
      code: 70000,
      description: "The provided value for the input parameter 'refresh_token' or 'assertion' is not valid.",
    };
  }
  const user = tenant.users.find((u) => u.id === record.userId);
  const refusal = refuse(ctx.store.now(), tenant, record, user, form.get('scope'));
  if (refusal) return refusal;

  const resourceScopes = toResourceScopes((form.get('scope') ?? record.scopes.join(' ')).split(' ').filter(Boolean));
  const { hash: _hash, issuedAt: _issuedAt, ...grant } = record;
  return delegatedTokenResponse(request, client.app.appId, user!, resourceScopes, grant);
}

function refuse(
  now: Date,
  tenant: TenantRecord,
  record: RefreshTokenRecord,
  user: UserRecord | undefined,
  scope: string | null,
): EntraFailureSpec | undefined {
  const issued = Date.parse(record.issuedAt);
  if (!user)
    return {
      error: 'invalid_grant',
      code: 50034,
      description: `The user account does not exist in the ${tenant.defaultDomain} directory. To sign into this application, the account must be added to the directory.`,
    };
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
  const grant = tenant.grants.find((g) => g.clientAppId === record.clientAppId && g.userId === user.id);
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
