import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';

/**
 * Shares one token request among callers asking for the same scopes at the same time (a prefetch and
 * the first Graph request), so the identity platform is asked once. Requests carrying claims or a
 * tenant of their own are not shared.
 */
export function withSingleFlight(credential: TokenCredential): TokenCredential {
  const inFlight = new Map<string, Promise<AccessToken | null>>();
  return {
    getToken(scopes: string | string[], options?: GetTokenOptions) {
      if (options?.claims || options?.tenantId) return credential.getToken(scopes, options);
      const key = [scopes].flat().join(' ');
      const pending = inFlight.get(key);
      if (pending) return pending;
      const request = credential.getToken(scopes, options).finally(() => inFlight.delete(key));
      inFlight.set(key, request);
      return request;
    },
  };
}
