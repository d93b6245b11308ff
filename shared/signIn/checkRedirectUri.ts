/** What the app registration says about Vigil's redirect URI, or why Vigil could not read it. */
export type RegisteredRedirectUris = { kind: 'found'; uris: string[] } | { kind: 'unchecked'; reason: string };

/** Reads an app registration's web redirect URIs (Graph `web.redirectUris`) in the connection's tenant. */
export interface AppRegistrations {
  redirectUris(tenant: string, clientId: string): Promise<RegisteredRedirectUris>;
}

export type RedirectUriCheck = { kind: 'registered' } | { kind: 'missing'; redirectUri: string } | { kind: 'unchecked'; reason: string };

/**
 * Whether Entra will send the sign-in back to Vigil: the app must list the callback as a Web redirect
 * URI, exactly, except that Entra ignores the port of a localhost URI (reply-url.md "Localhost exceptions").
 * Checked before any link is handed out, so a link never ends in AADSTS50011.
 */
export async function checkRedirectUri(
  apps: AppRegistrations,
  tenant: string,
  clientId: string,
  callbackUrl: string,
): Promise<RedirectUriCheck> {
  const found = await apps.redirectUris(tenant, clientId);
  if (found.kind === 'unchecked') return found;
  return found.uris.some((uri) => sameRedirect(uri, callbackUrl)) ? { kind: 'registered' } : { kind: 'missing', redirectUri: callbackUrl };
}

function sameRedirect(registered: string, callback: string): boolean {
  if (registered === callback) return true;
  if (!URL.canParse(registered)) return false;
  const [a, b] = [new URL(registered), new URL(callback)];
  const loopback = (u: URL) => u.hostname === 'localhost' || u.hostname === '127.0.0.1';
  return loopback(a) && loopback(b) && a.protocol === b.protocol && a.hostname === b.hostname && a.pathname === b.pathname;
}

/** The sentence an alert, a page or an API answer uses for a redirect URI the app lacks. */
export function describeMissingRedirectUri(clientId: string, redirectUri: string): string {
  return `App ${clientId} does not list Vigil's redirect URI ${redirectUri}: an owner of the app adds it under Authentication → Web (docs/deploy.md "Sign-in links"), and no sign-in link is offered until then.`;
}
