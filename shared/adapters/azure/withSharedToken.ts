import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';

/**
 * How long before a token's end it is asked for again: MSAL's own cache stops handing a token out 5
 * minutes before its end (`tokenRenewalOffsetSeconds`, 300 by default), so the credential is asked exactly
 * when MSAL would have fetched a new one anyway.
 */
const REFRESH_WINDOW_MS = 5 * 60_000;

/**
 * One token per scope for every caller, as the Azure SDKs' bearer-token policy keeps one: a request
 * already on its way is shared (a prefetch and the first Graph request ask the identity platform once),
 * and its answer is kept until it should be refreshed (`refreshAfterTimestamp`, or 5 minutes before it
 * ends), so a scan's Graph requests do not each ask MSAL, whose in-memory cache is searched entry by entry:
 * with a credential shared by a thousand tenants that search was a scan's largest cost in sign-in.
 * A failed request is not kept. Requests carrying claims or a tenant of their own go to the credential; a
 * claims challenge (Continuous Access Evaluation) also forgets every kept token, which the challenge says
 * was refused, so no later caller is handed it again.
 */
export function withSharedToken(credential: TokenCredential, nowMs: () => number = Date.now): TokenCredential {
  const kept = new Map<string, { request: Promise<AccessToken | null>; reuseUntilMs: number }>();
  return {
    getToken(scopes: string | string[], options?: GetTokenOptions) {
      if (options?.claims) kept.clear();
      if (options?.claims || options?.tenantId) return credential.getToken(scopes, options);
      const key = [scopes].flat().join(' ');
      const known = kept.get(key);
      if (known && nowMs() < known.reuseUntilMs) return known.request;
      // Until it answers, every caller shares the request; then its token serves until its refresh time.
      const entry = { request: credential.getToken(scopes, options), reuseUntilMs: Infinity };
      kept.set(key, entry);
      entry.request.then(
        (token) => {
          if (token) entry.reuseUntilMs = Math.min(token.refreshAfterTimestamp ?? Infinity, token.expiresOnTimestamp - REFRESH_WINDOW_MS);
          else if (kept.get(key) === entry) kept.delete(key);
        },
        () => kept.get(key) === entry && kept.delete(key),
      );
      return entry.request;
    },
  };
}
