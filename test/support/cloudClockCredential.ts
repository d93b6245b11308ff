import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';

/**
 * A credential whose tokens expire by the local cloud's clock, for tests that move that clock by hours.
 * The SDKs' token caches (MSAL's, the pipelines' token cyclers) run on real time, so after "six hours" of
 * cloud time they would still use a token fetched before; production would have had to fetch a new one.
 * This wrapper keeps each token until its lifetime has passed on the cloud clock, then asks a fresh
 * credential (`make`) for a new one, which meets whatever the token endpoint answers then (a 429 storm).
 * It tells the SDKs every token is already expired, so they ask it on every request and cache nothing.
 */
export function cloudClockCredential(make: () => TokenCredential, cloudNowMs: () => number): TokenCredential {
  const tokens = new Map<string, { token: string; expiresAtCloudMs: number }>();
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
      const key = [scopes].flat().join(' ');
      const cached = tokens.get(key);
      if (cached && cached.expiresAtCloudMs > cloudNowMs()) return { token: cached.token, expiresOnTimestamp: Date.now() - 1 };
      tokens.delete(key);
      const fresh = await make().getToken(scopes, options);
      if (!fresh) throw new Error(`no token for ${key}`);
      tokens.set(key, { token: fresh.token, expiresAtCloudMs: cloudNowMs() + (fresh.expiresOnTimestamp - Date.now()) });
      return { token: fresh.token, expiresOnTimestamp: Date.now() - 1 };
    },
  };
}
