import { randomBytes } from 'node:crypto';
import { sha256 } from '../state/CloudStore.js';
import type { RefreshTokenRecord, UserRecord } from '../state/model.js';
import type { TokenRequest, TokenResponse } from './tokenRequest.js';

/** OpenID Connect's own scopes and `offline_access`: no access token carries them. */
const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

/** The scopes of resources, without OpenID Connect's own (which no access token carries). */
export function toResourceScopes(scopes: readonly string[]): string[] {
  return scopes.filter((s) => !OIDC_SCOPES.has(s));
}

/**
 * A delegated token answer for a user and app: an access token for the first resource's audience with
 * the scopes as `scp`, and a new refresh token (only its hash kept) when the grant has `offline_access`.
 */
export async function delegatedTokenResponse(
  request: TokenRequest,
  appId: string,
  user: UserRecord,
  resourceScopes: string[],
  refresh: Omit<RefreshTokenRecord, 'hash' | 'issuedAt'>,
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
    const next = `0.Vigil${randomBytes(48).toString('base64url')}`;
    tenant.refreshTokens.push({ ...refresh, hash: sha256(next), issuedAt: ctx.store.now().toISOString() });
    ctx.store.changed();
    response['refresh_token'] = next;
  }
  return response;
}
