import { randomUUID } from 'node:crypto';
import type { DateTime } from 'luxon';
import * as oauth from 'oauth4webapi';
import type { TokenRefreshRequest } from '../../tokens/TokenPorts.js';
import { toClientAuth } from './toClientAuth.js';

export type Fetch = typeof fetch;

/**
 * oauth4webapi dates a certificate's assertion by `Date.now()` plus this skew, and Entra refuses it 60 s
 * later (AADSTS700024). `now` is when the refresh began, so it only ever lags the wall clock in production:
 * a retry after a timeout or a Retry-After wait must still be dated when it is sent, never back to the
 * start. Only a clock moved ahead (the local cloud's, in tests) shifts the date.
 */
export function toClockSkew(now: DateTime): number {
  return Math.max(0, Math.round((now.toMillis() - Date.now()) / 1000));
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
  timeoutMs = 30_000,
): Promise<{ response: Response; clientRequestId: string }> {
  const clientRequestId = randomUUID();
  const authority = `${loginHost.replace(/\/+$/, '')}/${encodeURIComponent(request.tenant)}`;
  const tokenEndpoint = `${authority}/oauth2/v2.0/token`;
  const as: oauth.AuthorizationServer = { issuer: `${authority}/v2.0`, token_endpoint: tokenEndpoint };
  const response = await oauth.refreshTokenGrantRequest(
    as,
    { client_id: request.clientId, [oauth.clockSkew]: toClockSkew(request.now) },
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
