import { randomUUID } from 'node:crypto';
import { AuthenticationError, type AccessToken, type GetTokenOptions, type TokenCredential } from '@azure/identity';
import * as oauth from 'oauth4webapi';
import type { ClientCredential } from '../../tokens/TokenPorts.js';
import { parseRetryAfter } from '../http/parseRetryAfter.js';
import { askTokenEndpoint } from './askTokenEndpoint.js';
import { positiveNumber } from './positiveNumber.js';
import { readAadstsCodes } from './readAadstsCodes.js';
import { SIGN_IN_DEADLINE_MS } from '../../helpers/signInTimedOut.js';
import { toClockSkew, type Clock } from './Clock.js';
import { toClientAuth } from './toClientAuth.js';

/** The longest a refusal's `Retry-After` is kept: a far date (a proxy's bogus one) must not silence a tenant for the life of the process. */
const MAX_REMEMBERED_WAIT_MS = 60 * 60_000;

/**
 * An app signing in to any tenant it is consented in, as itself: the client credentials grant sent to
 * `{login}/{tenant}/oauth2/v2.0/token` (learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow),
 * authenticated with its client secret or certificate (toClientAuth). The endpoint is the documented one for
 * every cloud, so no tenant's metadata is fetched. It keeps no tokens: each tenant's caller keeps its own
 * (withSharedToken), so a request costs the same for the thousandth tenant as for the first, where MSAL's
 * cache, shared by every tenant of the app, was searched entry by entry on each request.
 *
 * A refusal is `@azure/identity`'s `AuthenticationError` with the token endpoint's status and only
 * `error`, the AADSTS codes and the correlation id, never `error_description` (free text) nor anything of
 * the request: every reader of a credential failure (isCredentialError, tokenEndpointStatus, the Graph
 * client's message) reads it as it read MSAL's. A brief failure is sent again within the deadline
 * (askTokenEndpoint); after a 429 or 5xx with a Retry-After it could not wait out, the tenant's requests fail
 * with that answer until the time Entra gave (at most an hour), without being sent. No answer within the
 * deadline is a `SignInTimeoutError`; no answer for another reason (no connection, an answer cut short), a
 * `SignInUnansweredError`: Entra or the way to it failed, which is no wrong credential.
 */
export function createAppTokenCredential(options: {
  loginHost: string;
  clientId: string;
  credential: ClientCredential;
  /** The tenant asked when `getToken` names none. */
  tenantId: string;
  /** What assertions are dated and Retry-After dates read by (Date.now unless the local cloud's clock is moved). */
  clock?: Clock;
  timeoutMs?: number;
}): TokenCredential {
  const { clientId, credential } = options;
  const clock = options.clock ?? Date.now;
  const login = options.loginHost.replace(/\/+$/, '');
  /** Per tenant: the refusal that said to wait, and until when. */
  const waiting = new Map<string, { error: AuthenticationError; untilMs: number }>();
  return {
    async getToken(scopes: string | string[], getTokenOptions?: GetTokenOptions): Promise<AccessToken> {
      const tenant = getTokenOptions?.tenantId ?? options.tenantId;
      const wait = waiting.get(tenant);
      if (wait && clock() < wait.untilMs) throw wait.error;
      const authority = `${login}/${encodeURIComponent(tenant)}`;
      const tokenEndpoint = `${authority}/oauth2/v2.0/token`;
      const clientRequestId = randomUUID();
      // Built afresh for every attempt: oauth4webapi adds the app's authentication, its secret or an
      // assertion signed with its certificate, and Entra refuses an assertion presented twice.
      const build = async () => {
        const form = new URLSearchParams({ grant_type: 'client_credentials', scope: [scopes].flat().join(' ') });
        if (getTokenOptions?.claims) form.set('claims', getTokenOptions.claims);
        const headers = new Headers({ 'client-request-id': clientRequestId, 'return-client-request-id': 'true' });
        await toClientAuth(credential, tokenEndpoint)(
          { issuer: `${authority}/v2.0`, token_endpoint: tokenEndpoint },
          { client_id: clientId, [oauth.clockSkew]: toClockSkew(clock) },
          form,
          headers,
        );
        return { form, headers };
      };
      const sentMs = Date.now();
      const answer = await askTokenEndpoint(tokenEndpoint, build, { deadlineMs: options.timeoutMs ?? SIGN_IN_DEADLINE_MS, clock });
      const { body } = answer;
      const expiresIn = positiveNumber(body['expires_in']);
      const ok = answer.status >= 200 && answer.status < 300;
      if (ok && typeof body['access_token'] === 'string' && body['access_token'] !== '' && expiresIn !== undefined) {
        waiting.delete(tenant);
        const refreshIn = positiveNumber(body['refresh_in']);
        return {
          token: body['access_token'],
          tokenType: 'Bearer',
          expiresOnTimestamp: sentMs + expiresIn * 1000,
          ...(refreshIn === undefined ? {} : { refreshAfterTimestamp: sentMs + refreshIn * 1000 }),
        };
      }
      // A 200 without a usable token is a broken answer: reported as a 502, an outage, not a refusal.
      const status = ok ? 502 : answer.status;
      const error = toAuthenticationError(status, body, clientRequestId);
      const retryAfterMs = parseRetryAfter(answer.header('retry-after'), clock());
      if (retryAfterMs !== undefined && (status === 429 || status >= 500))
        waiting.set(tenant, { error, untilMs: clock() + Math.min(retryAfterMs, MAX_REMEMBERED_WAIT_MS) });
      throw error;
    },
  };
}

/** The refusal as `@azure/identity` reports one (its message reads "{error} Status code: {status}"), with the AADSTS codes standing for the description. */
function toAuthenticationError(status: number, body: Record<string, unknown>, clientRequestId: string): AuthenticationError {
  const codes = readAadstsCodes(body);
  const correlationId = typeof body['correlation_id'] === 'string' ? body['correlation_id'] : clientRequestId;
  return new AuthenticationError(status, {
    error: typeof body['error'] === 'string' && body['error'] !== '' ? body['error'] : `HTTP ${status}`,
    error_description: [...codes.map((code) => `AADSTS${code}`), `Correlation ID: ${correlationId}`].join(' '),
    error_codes: codes,
    correlation_id: correlationId,
  });
}
