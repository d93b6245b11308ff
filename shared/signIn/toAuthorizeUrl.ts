/** What the authorize request of one sign-in carries; no secret (the PKCE verifier stays with Vigil). */
export interface AuthorizeRequest {
  loginHost: string;
  tenant: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string;
  nonce: string;
  codeChallenge: string;
  loginHint: string;
}

/** OpenID Connect's scopes, added to the connection's own so the answer carries an ID token naming the user. */
export const OPENID_SCOPES = ['openid', 'profile'] as const;

/**
 * `{login}/{tenant}/oauth2/v2.0/authorize` with a code, PKCE S256, `state`, `nonce` and `login_hint`
 * (v2-oauth2-auth-code-flow "Request an authorization code"). `response_mode=query` brings the answer to
 * the redirect URI as a plain GET, which the callback function reads.
 */
export function toAuthorizeUrl(request: AuthorizeRequest): string {
  const url = new URL(`${request.loginHost.replace(/\/+$/, '')}/${encodeURIComponent(request.tenant)}/oauth2/v2.0/authorize`);
  const scopes = [...new Set([...OPENID_SCOPES, ...request.scopes])];
  url.search = new URLSearchParams({
    client_id: request.clientId,
    response_type: 'code',
    redirect_uri: request.redirectUri,
    response_mode: 'query',
    scope: scopes.join(' '),
    state: request.state,
    nonce: request.nonce,
    code_challenge: request.codeChallenge,
    code_challenge_method: 'S256',
    login_hint: request.loginHint,
  }).toString();
  return url.toString();
}
