import type { GetTokenOptions, TokenCredential } from '@azure/identity';

/**
 * A credential shared by many tenants whose first token request runs alone: MSAL learns the authority's
 * endpoints (and, off Microsoft's own hosts, fetches them) on its first request, and requests that start
 * before it has done so each fetch them again. Measured against the local cloud: two tenants starting
 * together cost two metadata requests and a third token request; one after the other, one and two.
 * The rest wait only for that first answer, whatever it is.
 */
export function firstSignInAlone(credential: TokenCredential): TokenCredential {
  let first: Promise<unknown> | undefined;
  return {
    getToken(scopes: string | string[], options?: GetTokenOptions) {
      if (first) return first.then(() => credential.getToken(scopes, options));
      const request = credential.getToken(scopes, options);
      first = request.catch(() => undefined);
      return request;
    },
  };
}
