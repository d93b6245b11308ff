import { randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import type { CloudName } from '../../cloud/cloudEndpoints.js';
import type { AuthorizationServer, InvalidIdToken, RedeemedCode } from '../../signIn/SignInPorts.js';
import type { TokenFailure } from '../../tokens/TokenPorts.js';
import type { VigilFaultLog, VigilFaultRequest } from '../http/createVigilFaultLog.js';
import { isFetchFailure, isNetworkError } from '../http/networkError.js';
import { parseRetryAfter } from '../http/parseRetryAfter.js';
import { couldNotMakeRequest, isBadRequestCode, socketCodeOf } from '../../helpers/socketCodeOf.js';
import { noAnswerReason, TIMED_OUT_REASON } from './signInUnavailable.js';
import { readAadstsCodes } from './readAadstsCodes.js';
import { toClockSkew, type Clock } from './Clock.js';
import { toClientAuth } from './toClientAuth.js';

type Fetch = typeof fetch;

type Metadata = oauth.AuthorizationServer & { token_endpoint: string; jwks_uri: string };

/**
 * Vigil's client side of the authorization code flow, on oauth4webapi (panva): it checks the callback
 * (state, error), redeems the code with the app's client secret or certificate (toClientAuth) and the PKCE verifier, checks the ID token's
 * issuer, audience, lifetime and nonce, then its signature against the tenant's published keys. The
 * issuer and keys come from the tenant's OpenID configuration at the connection's cloud's login host,
 * fetched once per tenant. A request fetch will not make leaves its trace in `vigilFaultLog` (class and stack frames,
 * never the message), where the sign-in's refusal sends Vigil's operators.
 */
export function createAuthorizationServer(options: {
  loginHost: (cloud: CloudName) => string;
  vigilFaultLog: VigilFaultLog;
  fetch?: Fetch;
  /** What assertions are dated, ID tokens' times checked and Retry-After dates read by (Date.now unless the local cloud's clock is moved). */
  clock?: Clock;
}): AuthorizationServer {
  const clock = options.clock ?? Date.now;
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
      // Which request a fetch failure comes from, for the vigilFault log: discovery is cached, so often none is made.
      let step: VigilFaultRequest = 'OpenID configuration request';
      try {
        const as = await discover(request.cloud, request.tenant);
        step = 'Token request';
        const client: oauth.Client = { client_id: request.clientId, [oauth.clockSkew]: toClockSkew(clock) };
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
        step = 'Signing keys request';
        await oauth.validateApplicationLevelSignature(as, response, { [oauth.customFetch]: customFetch, [oauth.jwksCache]: keys });
        return toRedeemed(result, response, clientRequestId);
      } catch (error) {
        if (!isRequestNotMade(error)) return toFailure(error, clientRequestId, clock());
        options.vigilFaultLog(error, step);
        const code = badRequestCodeOf(error);
        return { kind: 'vigilFault', code, reason: couldNotMakeRequest('Entra', code) };
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

/**
 * OAuth errors become the token keeper's `TokenFailure` (codes, never descriptions), classified as a
 * refresh's are: an answer that is not OAuth JSON by its HTTP status (5xx and 429: Entra unavailable, try
 * again), no answer at all `unreachable`; only a failed ID token check is `invalidIdToken`. Anything else
 * (a programming error) is thrown, not disguised. A Retry-After date is read against `nowMs`, the clock
 * Entra's answers are dated by. A request fetch would not make is told apart before (isRequestNotMade).
 */
function toFailure(error: unknown, clientRequestId: string, nowMs: number): TokenFailure | InvalidIdToken {
  if (error instanceof oauth.ResponseBodyError) {
    const body = error.cause;
    return {
      kind: 'rejected',
      status: error.status,
      error: error.error,
      suberror: typeof body['suberror'] === 'string' ? body['suberror'] : undefined,
      codes: readAadstsCodes(body),
      correlationId: typeof body['correlation_id'] === 'string' ? body['correlation_id'] : clientRequestId,
      retryAfterMs: parseRetryAfter(error.response.headers.get('retry-after'), nowMs),
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
  if (error instanceof oauth.OperationProcessingError) {
    // An answer that is no OAuth answer at all (a gateway's HTML 503, a 429 without a body): judged by its status.
    const answer = responseOf(error.cause);
    if (answer && notConform.has(error.code ?? ''))
      return {
        kind: 'rejected',
        status: answer.status,
        error: undefined,
        suberror: undefined,
        codes: [],
        correlationId: answer.headers.get('client-request-id') ?? clientRequestId,
        retryAfterMs: parseRetryAfter(answer.headers.get('retry-after'), nowMs),
      };
    if (idTokenChecks.has(error.code ?? '')) return { kind: 'invalidIdToken', reason: `${error.code}: ${error.message}` };
  }
  if (isNetworkError(error))
    return {
      kind: 'unreachable',
      reason: error.name === 'TimeoutError' ? TIMED_OUT_REASON : noAnswerReason(socketCodeOf(error), error.name),
    };
  throw error;
}

/**
 * fetch fails with no code, or with one for a request made wrong, only for a request it will not make (a port it
 * blocks, a scheme it does not speak): a fault in Vigil or its settings (the login host), never an outage to try again
 * (docs/tokens.md). Of it only the code is kept, never the message, which may quote the URL.
 */
function isRequestNotMade(error: unknown): error is Error {
  return isFetchFailure(error) && socketCodeOf(error) === undefined;
}

/** The code of a request fetch would not make (UND_ERR_INVALID_ARG), or its class name when it has none. */
function badRequestCodeOf(error: Error): string {
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && isBadRequestCode(code) ? code : error.name;
}

/** The answer oauth4webapi attached, by shape: a custom fetch's Response need not be this realm's class. */
function responseOf(cause: unknown): Pick<Response, 'status' | 'headers'> | undefined {
  const candidate = cause as Partial<Response> | undefined;
  return candidate && typeof candidate.status === 'number' && typeof candidate.headers?.get === 'function'
    ? (candidate as Response)
    : undefined;
}

/** oauth4webapi's codes for an answer that is not the JSON the endpoint should send. */
const notConform: ReadonlySet<string> = new Set([oauth.RESPONSE_IS_NOT_CONFORM, oauth.RESPONSE_IS_NOT_JSON]);

/** oauth4webapi's codes for an ID token (or its signature, or the claims it must match) that failed a check. */
const idTokenChecks: ReadonlySet<string> = new Set([
  oauth.JWT_TIMESTAMP_CHECK,
  oauth.JWT_CLAIM_COMPARISON,
  oauth.JSON_ATTRIBUTE_COMPARISON,
  oauth.KEY_SELECTION,
  oauth.INVALID_RESPONSE,
  oauth.PARSE_ERROR,
]);
