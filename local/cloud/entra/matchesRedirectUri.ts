/**
 * Whether a requested redirect URI is one registered on the app: an exact, case-sensitive match, except
 * that the port of a `localhost`/`127.0.0.1` URI is ignored (reply-url.md "Localhost exceptions", after
 * RFC 8252 §7.3 and §8.3). Both URIs must parse; `http` is accepted only for loopback hosts.
 */
export function matchesRedirectUri(requested: string, registered: readonly string[]): boolean {
  if (!URL.canParse(requested)) return false;
  const wanted = new URL(requested);
  if (wanted.protocol !== 'https:' && !(wanted.protocol === 'http:' && isLoopback(wanted))) return false;
  return registered.some((entry) => {
    if (entry === requested) return true;
    if (!URL.canParse(entry)) return false;
    const known = new URL(entry);
    return isLoopback(wanted) && isLoopback(known) && withoutPort(known) === withoutPort(wanted);
  });
}

const isLoopback = (url: URL) => url.hostname === 'localhost' || url.hostname === '127.0.0.1';

function withoutPort(url: URL): string {
  return `${url.protocol}//${url.hostname}${url.pathname}${url.search}`;
}
