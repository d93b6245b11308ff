import { randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import type { CloudName } from '../../cloud/cloudEndpoints.js';
import type { AuthorizationServer, InvalidIdToken, RedeemedCode } from '../../signIn/AuthorizationServer.js';
import type { TokenFailure } from '../../tokens/TokenEndpoint.js';
import { parseRetryAfter } from '../http/parseRetryAfter.js';
import { readAadstsCodes } from './readAadstsCodes.js';
import { toClockSkew, type Fetch } from './requestTokenRefresh.js';
import { toClientAuth } from './toClientAuth.js';

type Metadata = oauth.AuthorizationServer & { token_endpoint: string; jwks_uri: string };

/**
 * Vigil's client side of the authorization code flow, on oauth4webapi (panva): it checks the callback
 * (state, error), redeems the code with the app's client secret or certificate (toClientAuth) and the PKCE verifier, checks the ID token's
 * issuer, audience, lifetime and nonce, then its signature against the tenant's published keys. The
 * issuer and keys come from the tenant's OpenID configuration at the connection's cloud's login host,
 * fetched once per tenant.
 */
export function createAuthorizationServer(options: { loginHost: (cloud: CloudName) => string; fetch?: Fetch }): AuthorizationServer {
  const fetchFn = options.fetch ?? fetch;
  // oauth4webapi's custom fetch receives its own options shape; plain fetch accepts it.
  const customFetch = (url: string, init: object) => fetchFn(url, init);
  const metadata = new Map<string, Promise<Metadata>>();
  const jwksCaches = new Map<string, oauth.JWKSCacheInput>();
  const discover = (cloud: CloudName, tenant: string): Promise<Metadata> => {
    const url = `${options.loginHost(cloud).replace(/\/+$/, '')}/${encodeURIComponent(tenant)}/v2.0/.well-known/openid-configuration`;
    const found = metadata.get(url) ?? fetchMetadata(fetchFn, url);
    metadata.set(url, found);
    found.catch(() => metadata.delete(url));
    return found;
  };
  return {
    async redeem(request) {
      const clientRequestId = randomUUID();
      try {
        const as = await discover(request.cloud, request.tenant);
        const client: oauth.Client = { client_id: request.clientId, [oauth.clockSkew]: toClockSkew(request.now) };
        const params = oauth.validateAuthResponse(as, client, request.callback, request.expectedState);
        const response = await oauth.authorizationCodeGrantRequest(
          as,
          client,
          toClientAuth(request.credential, as.token_endpoint),
          params,
          request.redirectUri,
          request.codeVerifier,
          {
            additionalParameters: { scope: ['openid', 'profile', ...request.scopes].join(' ') },
            headers: new Headers({ 'client-request-id': clientRequestId, 'return-client-request-id': 'true' }),
            signal: AbortSignal.timeout(30_000),
            [oauth.customFetch]: customFetch,
          },
        );
        const result = await oauth.processAuthorizationCodeResponse(as, client, response, {
          expectedNonce: request.nonce,
          requireIdToken: true,
        });
        const keys = jwksCaches.get(as.issuer) ?? jwksCaches.set(as.issuer, {}).get(as.issuer)!;
        await oauth.validateApplicationLevelSignature(as, response, { [oauth.customFetch]: customFetch, [oauth.jwksCache]: keys });
        return toRedeemed(result, response, clientRequestId);
      } catch (error) {
        return toFailure(error, clientRequestId);
      }
    },
  };
}

async function fetchMetadata(fetchFn: Fetch, url: string): Promise<Metadata> {
  const response = await fetchFn(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new DiscoveryError(response.status);
  const body = (await response.json()) as Record<string, unknown>;
  const text = (name: string) => (typeof body[name] === 'string' ? body[name] : undefined);
  const [issuer, token, jwks] = [text('issuer'), text('token_endpoint'), text('jwks_uri')];
  if (!issuer || !token?.startsWith('https://') || !jwks?.startsWith('https://')) throw new DiscoveryError(502);
  return { issuer, token_endpoint: token, jwks_uri: jwks };
}

class DiscoveryError extends Error {
  constructor(readonly status: number) {
    super(`OpenID configuration: HTTP ${status}`);
    this.name = 'DiscoveryError';
  }
}

function toRedeemed(result: oauth.TokenEndpointResponse, response: Response, clientRequestId: string): RedeemedCode {
  const claims = oauth.getValidatedIdTokenClaims(result)!;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const expiresIn = Number(result['refresh_token_expires_in']);
  return {
    kind: 'redeemed',
    refreshToken: text(result.refresh_token),
    grantedScopes: (text(result.scope) ?? '').split(' ').filter(Boolean),
    refreshTokenExpiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : undefined,
    user: {
      tenantId: text(claims['tid']) ?? '',
      objectId: text(claims['oid']) ?? claims.sub,
      username: text(claims['preferred_username']),
      name: text(claims['name']),
    },
    correlationId: response.headers.get('client-request-id') ?? clientRequestId,
  };
}

/** OAuth errors become the token keeper's `TokenFailure` (codes, never descriptions); failed checks, `invalidIdToken`. */
function toFailure(error: unknown, clientRequestId: string): TokenFailure | InvalidIdToken {
  if (error instanceof oauth.ResponseBodyError) {
    const body = error.cause;
    return {
      kind: 'rejected',
      status: error.status,
      error: error.error,
      suberror: typeof body['suberror'] === 'string' ? body['suberror'] : undefined,
      codes: readAadstsCodes(body),
      correlationId: typeof body['correlation_id'] === 'string' ? body['correlation_id'] : clientRequestId,
      retryAfterMs: parseRetryAfter(error.response.headers.get('retry-after'), Date.now()),
    };
  }
  if (error instanceof oauth.AuthorizationResponseError)
    return {
      kind: 'rejected',
      status: 400,
      error: error.error,
      suberror: undefined,
      codes: [],
      correlationId: undefined,
      retryAfterMs: undefined,
    };
  if (error instanceof DiscoveryError)
    return error.status >= 500
      ? { kind: 'unreachable', reason: `OpenID configuration HTTP ${error.status}` }
      : {
          kind: 'rejected',
          status: error.status,
          error: 'invalid_tenant',
          suberror: undefined,
          codes: [],
          correlationId: undefined,
          retryAfterMs: undefined,
        };
  if (error instanceof oauth.OperationProcessingError)
    return { kind: 'invalidIdToken', reason: `${error.code ?? 'check failed'}: ${error.message}` };
  if (error instanceof Error && (error.name === 'TypeError' || error.name === 'TimeoutError' || error.name === 'AbortError'))
    return { kind: 'unreachable', reason: error.name };
  throw error;
}
