import type { RefreshTokenRecord, UserRecord } from '../state/model.js';
import { OIDC_SCOPES } from './checkRequestedScopes.js';
import type { TokenRequest, TokenResponse } from './tokenRequest.js';

/** The scopes of resources, without OpenID Connect's own (which no access token carries). */
export function toResourceScopes(scopes: readonly string[]): string[] {
  return scopes.filter((s) => !OIDC_SCOPES.has(s.toLowerCase()));
}

/**
 * A delegated token answer for a user and app: an access token for the first resource's audience with
 * the scopes as `scp`, and a new refresh token (issued by the directory, which keeps only its hash) when
 * the grant has `offline_access`.
 */
export async function delegatedTokenResponse(
  request: TokenRequest,
  appId: string,
  user: UserRecord,
  resourceScopes: string[],
  refresh: Pick<RefreshTokenRecord, 'clientAppId' | 'userId' | 'scopes' | 'mfa'>,
): Promise<TokenResponse> {
  const { ctx, tenant } = request;
  const first = resourceScopes[0];
  const { token, expiresIn } = await ctx.tokens.issue({
    issuer: request.issuer,
    tenantId: tenant.id,
    appId,
    audience: first?.includes('/') ? first.slice(0, first.lastIndexOf('/')) : 'https://graph.microsoft.com',
    objectId: user.id,
    scp: resourceScopes.map((s) => s.slice(s.lastIndexOf('/') + 1)).join(' '),
    upn: user.userPrincipalName,
  });
  const response: TokenResponse = {
    token_type: 'Bearer',
    scope: resourceScopes.join(' '),
    expires_in: expiresIn,
    ext_expires_in: expiresIn,
    access_token: token,
  };
  if (refresh.scopes.includes('offline_access')) {
    const { clientAppId, userId, scopes, mfa } = refresh;
    response['refresh_token'] = ctx.store.directory.issueRefreshToken(tenant, { clientAppId, userId, scopes, ...(mfa ? { mfa } : {}) });
  }
  return response;
}
