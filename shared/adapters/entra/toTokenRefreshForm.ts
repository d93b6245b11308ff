import { randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import type { TokenRefreshRequest } from '../../tokens/TokenPorts.js';
import { toClockSkew, type Clock } from './Clock.js';
import { toClientAuth } from './toClientAuth.js';

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
