/** The part of a tenant's OpenID configuration Vigil needs to check tokens. */
export interface OpenIdConfiguration {
  issuer: string;
  jwksUri: string;
}

export type OpenIdConfigurationResult = { kind: 'found'; configuration: OpenIdConfiguration } | { kind: 'failed'; reason: string };

/**
 * `GET {login}/{tenant}/v2.0/.well-known/openid-configuration` (protocol-facts §2). `fetch` is injectable
 * so the checking half can be tested with hand-built responses.
 */
export async function fetchOpenIdConfiguration(
  login: string,
  tenantId: string,
  fetchImpl: typeof fetch = fetch,
): Promise<OpenIdConfigurationResult> {
  const url = `${login.replace(/\/$/, '')}/${encodeURIComponent(tenantId)}/v2.0/.well-known/openid-configuration`;
  try {
    return await checkOpenIdConfiguration(await fetchImpl(url, { headers: { accept: 'application/json' } }), tenantId);
  } catch (error) {
    return { kind: 'failed', reason: `OpenID configuration of ${tenantId} unreachable: ${error instanceof Error ? error.name : 'error'}` };
  }
}

/** Accepts the document only with an https `jwks_uri` and an issuer that names the tenant asked for. */
export async function checkOpenIdConfiguration(response: Response, tenantId: string): Promise<OpenIdConfigurationResult> {
  if (!response.ok) return { kind: 'failed', reason: `OpenID configuration of ${tenantId}: HTTP ${response.status}` };
  const body = (await response.json().catch(() => undefined)) as { issuer?: unknown; jwks_uri?: unknown } | undefined;
  const issuer = body?.issuer;
  const jwksUri = body?.jwks_uri;
  if (typeof issuer !== 'string' || typeof jwksUri !== 'string' || !jwksUri.startsWith('https://')) {
    return { kind: 'failed', reason: `OpenID configuration of ${tenantId} lacks issuer or an https jwks_uri` };
  }
  if (!issuer.toLowerCase().includes(tenantId.toLowerCase()))
    return { kind: 'failed', reason: `OpenID configuration of ${tenantId} names another issuer` };
  return { kind: 'found', configuration: { issuer, jwksUri } };
}
