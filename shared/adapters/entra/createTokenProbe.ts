import type { SecretProbeResult, TokenProbe } from '../../rotation/collaborators.js';
import { readAadstsCodes } from './readAadstsCodes.js';
import { readTokenResponseBody } from './readTokenResponseBody.js';

/**
 * A `client_credentials` token request with a candidate secret (protocol-facts §2), to prove a new secret
 * works. The request half and the checking half are separate so the check is tested with built Responses.
 */
export async function requestClientCredentialsToken(
  tokenUrl: string,
  clientId: string,
  secret: string,
  scope: string,
  fetchImpl: typeof fetch = fetch,
): Promise<Response> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope });
  return fetchImpl(tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
}

/** 200 with a token: accepted (the token is dropped). Entra's 400/401 errors: rejected with the AADSTS code. */
export async function checkTokenResponse(response: Response): Promise<SecretProbeResult> {
  const body = await readTokenResponseBody(response);
  if (response.ok && typeof body['access_token'] === 'string') return { kind: 'accepted' };
  if (response.status === 400 || response.status === 401) {
    const error = typeof body['error'] === 'string' ? body['error'] : `HTTP ${response.status}`;
    const aadsts = readAadstsCodes(body)[0];
    return { kind: 'rejected', code: `${error}${aadsts === undefined ? '' : ` AADSTS${aadsts}`}` };
  }
  return { kind: 'unreachable', reason: `HTTP ${response.status}` };
}

/** Probes against `{login}/{tenant}/oauth2/v2.0/token`, asking for a token for `scope` (Graph's `/.default`). */
export function createTokenProbe(login: string, scope: string, fetchImpl: typeof fetch = fetch): TokenProbe {
  return {
    async request(tenantId, appId, secret) {
      try {
        return await checkTokenResponse(
          await requestClientCredentialsToken(
            `${login.replace(/\/$/, '')}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`,
            appId,
            secret,
            scope,
            fetchImpl,
          ),
        );
      } catch (error) {
        return { kind: 'unreachable', reason: error instanceof Error ? error.name : 'network error' };
      }
    },
  };
}
