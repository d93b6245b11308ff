import { createHash } from 'node:crypto';
import { authenticateClient, missingParameter } from './authenticateClient.js';
import { authorizationSessions, SIGN_IN_SCOPES, type IssuedCode } from './authorizationSessions.js';
import { delegatedTokenResponse, toResourceScopes } from './delegatedTokenResponse.js';
import { isFailure, type EntraFailureSpec, type TokenRequest, type TokenResponse } from './tokenRequest.js';

/**
 * `grant_type=authorization_code` (v2-oauth2-auth-code-flow "Redeem a code for an access token"): the
 * client authenticates, the code is single use (AADSTS54005) and short-lived (AADSTS70008), the
 * redirect URI must be the one of the authorize request, and the PKCE verifier must hash to the
 * challenge (AADSTS501481). Answers with an access token, a refresh token when `offline_access` was
 * asked for, and an ID token (with the request's `nonce`) when `openid` was.
 */
export async function authorizationCodeGrant(request: TokenRequest): Promise<TokenResponse | EntraFailureSpec> {
  const { ctx, tenant, form } = request;
  const presented = form.get('code');
  if (!presented) return missingParameter('code');
  const client = authenticateClient(ctx.store, tenant, form, request.tokenEndpoints);
  if (isFailure(client)) return client;
  const sessions = authorizationSessions(ctx.store);
  const code = sessions.code(presented);
  const refused = refuse(code, client.app.appId, tenant.id, form, sessions.now());
  if (refused || !code) return refused ?? invalidCode();
  code.redeemed = true;
  const user = tenant.user(code.userId);
  if (!user) return { error: 'invalid_grant', code: 50034, description: 'The user account does not exist in the directory.' };
  if (!user.accountEnabled) return { error: 'invalid_grant', code: 50057, description: 'The user account is disabled.' };

  // The interactive sign-in satisfied multi-factor authentication, so Conditional Access lets this grant refresh.
  const refresh = { clientAppId: client.app.appId, userId: user.id, scopes: code.scopes.filter((s) => !SIGN_IN_SCOPES.has(s)), mfa: true };
  const response = await delegatedTokenResponse(request, client.app.appId, user, toResourceScopes(code.scopes), refresh);
  if (code.scopes.includes('openid')) {
    response['id_token'] = await ctx.tokens.issueIdToken({
      issuer: request.issuer,
      clientId: client.app.appId,
      tenantId: tenant.id,
      objectId: user.id,
      name: user.displayName,
      preferredUsername: user.userPrincipalName,
      nonce: code.nonce,
    });
  }
  return response;
}

function refuse(
  code: IssuedCode | undefined,
  clientAppId: string,
  tenantId: string,
  form: URLSearchParams,
  now: number,
): EntraFailureSpec | undefined {
  if (!code || code.clientAppId !== clientAppId || code.tenantId !== tenantId) return invalidCode();
  if (code.redeemed)
    return {
      error: 'invalid_grant',
      code: 54005,
      description: 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
    };
  if (code.expiresAt <= now)
    return {
      error: 'invalid_grant',
      code: 70008,
      description:
        'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
    };
  if (form.get('redirect_uri') !== code.redirectUri)
    return {
      error: 'invalid_grant',
      code: 500112,
      description: 'The reply address does not match the reply address provided when requesting the authorization code.',
    };
  if (code.codeChallenge !== undefined && toChallenge(form.get('code_verifier') ?? '', code.codeChallengeMethod) !== code.codeChallenge)
    return {
      error: 'invalid_grant',
      code: 501481,
      description: 'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
    };
  return undefined;
}

const invalidCode = (): EntraFailureSpec => ({
  error: 'invalid_grant',
  code: 70000,
  description: "The provided value for the 'code' parameter is not valid.",
});

function toChallenge(verifier: string, method: 'S256' | 'plain'): string {
  return method === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url');
}
