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

/** A `refresh_token` grant ready to send: where, its form (the app's authentication added) and its headers. */
export interface TokenRefreshForm {
  url: string;
  form: URLSearchParams;
  headers: Headers;
  clientRequestId: string;
}

/**
 * Builds the `refresh_token` grant for `{login}/{tenant}/oauth2/v2.0/token` (protocol-facts §2,
 * learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#refresh-the-access-token),
 * authenticating the app with its client secret (`client_secret_post`) or its certificate (`private_key_jwt`),
 * both added by oauth4webapi (toClientAuth). A fresh `client-request-id` comes back as Entra's correlation
 * id, so a failure can be traced without quoting anything secret. Built afresh for every attempt: an
 * assertion is dated when it is made and good for one request.
 */
export async function toTokenRefreshForm(
  loginHost: string,
  request: TokenRefreshRequest,
  clock: Clock = Date.now,
): Promise<TokenRefreshForm> {
  const clientRequestId = randomUUID();
  const authority = `${loginHost.replace(/\/+$/, '')}/${encodeURIComponent(request.tenant)}`;
  const url = `${authority}/oauth2/v2.0/token`;
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: request.refreshToken, scope: request.scopes.join(' ') });
  const headers = new Headers({ accept: 'application/json', 'client-request-id': clientRequestId, 'return-client-request-id': 'true' });
  await toClientAuth(request.credential, url)(
    { issuer: `${authority}/v2.0`, token_endpoint: url },
    { client_id: request.clientId, [oauth.clockSkew]: toClockSkew(clock) },
    form,
    headers,
  );
  return { url, form, headers, clientRequestId };
}
