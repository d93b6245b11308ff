import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';

/** How long the first sign-in may take before its caller is told so and the tenants waiting behind it go on their own. */
export const FIRST_SIGN_IN_DEADLINE_MS = 30_000;

/** The first sign-in as an app did not answer within its deadline (named so `classifyGraphError` can tell it apart). */
export class SignInTimeoutError extends Error {
  override readonly name = 'SignInTimeoutError';
  constructor(deadlineMs: number) {
    super(`Entra did not answer Vigil's sign-in within ${Math.round(deadlineMs / 1000)} s`);
  }
}

/**
 * A credential shared by many tenants whose first token request runs alone: MSAL learns the authority's
 * endpoints (and, off Microsoft's own hosts, fetches them) on its first request, and requests that start
 * before it has done so each fetch them again. Measured against the local cloud: two tenants starting
 * together cost two metadata requests and a third token request; one after the other, one and two.
 * The rest wait only for that first answer, whatever it is, and for `deadlineMs` at most: one slow sign-in
 * must not hold every tenant of the app. Past it, the first's caller gets a `SignInTimeoutError`.
 */
export function firstSignInAlone(credential: TokenCredential, deadlineMs = FIRST_SIGN_IN_DEADLINE_MS): TokenCredential {
  let first: Promise<unknown> | undefined;
  return {
    getToken(scopes: string | string[], options?: GetTokenOptions) {
      if (first) return first.then(() => credential.getToken(scopes, options));
      const request = withDeadline(credential.getToken(scopes, options), deadlineMs);
      first = request.catch(() => undefined);
      return request;
    },
  };
}

function withDeadline(request: Promise<AccessToken | null>, deadlineMs: number): Promise<AccessToken | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new SignInTimeoutError(deadlineMs)), deadlineMs)));
  // A request that answers after its deadline has no one to tell; its failure must not surface as unhandled.
  request.catch(() => undefined);
  return Promise.race([request, late]).finally(() => clearTimeout(timer));
}
