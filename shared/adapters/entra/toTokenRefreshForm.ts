import { randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import type { TokenRefreshRequest } from '../../tokens/TokenPorts.js';
import { toClientAuth } from './toClientAuth.js';

export type Fetch = typeof fetch;

/** Milliseconds since the epoch: `Date.now` in production, the local cloud's clock in tests that move it. */
export type Clock = () => number;

/**
 * oauth4webapi dates a certificate's assertion (and checks an ID token's times) by `Date.now()` plus this
 * skew, read when the request is sent: Entra refuses an assertion 60 s after its date (AADSTS700024), so a
 * retry after a timeout or a Retry-After wait must be dated then, not when the refresh began. With the
 * production clock the skew is 0; a clock moved ahead (the local cloud's) shifts every date with it.
 */
export function toClockSkew(clock: Clock): number {
  return Math.round((clock() - Date.now()) / 1000);
}

/**
 * Sends the `refresh_token` grant to `{login}/{tenant}/oauth2/v2.0/token` (protocol-facts §2) through
 * oauth4webapi, authenticating the app with its client secret (`client_secret_post`) or its certificate
 * (`private_key_jwt`, toClientAuth). The answer is returned unread, for toTokenRefreshResult to classify
 * by code. A fresh `client-request-id` comes back as Entra's correlation id, so a failure can be traced
 * without quoting anything secret.
 */
export async function requestTokenRefresh(
  fetchFn: Fetch,
  loginHost: string,
  request: TokenRefreshRequest,
  clock: Clock = Date.now,
  timeoutMs = 30_000,
): Promise<{ response: Response; clientRequestId: string }> {
  const clientRequestId = randomUUID();
  const authority = `${loginHost.replace(/\/+$/, '')}/${encodeURIComponent(request.tenant)}`;
  const tokenEndpoint = `${authority}/oauth2/v2.0/token`;
  const as: oauth.AuthorizationServer = { issuer: `${authority}/v2.0`, token_endpoint: tokenEndpoint };
  const response = await oauth.refreshTokenGrantRequest(
    as,
    { client_id: request.clientId, [oauth.clockSkew]: toClockSkew(clock) },
    toClientAuth(request.credential, tokenEndpoint),
    request.refreshToken,
    {
      additionalParameters: { scope: request.scopes.join(' ') },
      headers: new Headers({ 'client-request-id': clientRequestId, 'return-client-request-id': 'true' }),
      signal: AbortSignal.timeout(timeoutMs),
      // oauth4webapi's custom fetch receives its own options shape; plain fetch accepts it.
      [oauth.customFetch]: (url: string, init: object) => fetchFn(url, init),
    },
  );
  return { response, clientRequestId };
}
