import { randomUUID } from 'node:crypto';
import type { TokenRefreshRequest } from '../../tokens/TokenEndpoint.js';

export type Fetch = typeof fetch;

/**
 * Sends the `refresh_token` grant to `{login}/{tenant}/oauth2/v2.0/token` (protocol-facts §2) with the
 * client secret in the form (`client_secret_post`). A fresh `client-request-id` comes back as Entra's
 * correlation id, so a failure can be traced without quoting anything secret.
 */
export async function requestTokenRefresh(
  fetchFn: Fetch,
  loginHost: string,
  request: TokenRefreshRequest,
  timeoutMs = 30_000,
): Promise<{ response: Response; clientRequestId: string }> {
  const clientRequestId = randomUUID();
  const form = new URLSearchParams({
    client_id: request.clientId,
    grant_type: 'refresh_token',
    refresh_token: request.refreshToken,
    client_secret: request.clientSecret,
    scope: request.scopes.join(' '),
  });
  const url = `${loginHost.replace(/\/+$/, '')}/${encodeURIComponent(request.tenant)}/oauth2/v2.0/token`;
  const response = await fetchFn(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      'client-request-id': clientRequestId,
      'return-client-request-id': 'true',
    },
    body: form.toString(),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { response, clientRequestId };
}
