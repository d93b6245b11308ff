/** Whether a form post came from Vigil's own pages, or why it is refused as likely cross-site. */
export type FormOriginCheck = { kind: 'sameOrigin' } | { kind: 'crossSite'; detail: string };

const originOf = (url: string): string | undefined => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

/**
 * The defence in depth beside the form token (OWASP CSRF cheat sheet, "Fetch Metadata headers" and
 * "Verifying Origin with standard headers"): a browser says where a post comes from in `Sec-Fetch-Site` and
 * `Origin` (forbidden headers a page cannot set), so anything but Vigil's own origin is refused; a post
 * naming no origin at all (neither `Origin` nor `Referer`) is refused too, as the cheat sheet recommends.
 * `allowed` are Vigil's origins: the request's own and VIGIL_PUBLIC_BASE_URL's.
 */
export function checkFormOrigin(headers: { get(name: string): string | null }, allowed: readonly string[]): FormOriginCheck {
  const site = headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin') return { kind: 'crossSite', detail: `Sec-Fetch-Site is ${site}, not same-origin` };
  const origin = headers.get('origin');
  const referer = headers.get('referer');
  const from = origin !== null ? origin : referer !== null ? originOf(referer) : undefined;
  if (from === undefined) return { kind: 'crossSite', detail: 'the post names no Origin or Referer' };
  if (!allowed.includes(from))
    return {
      kind: 'crossSite',
      detail: `the post comes from ${origin === null ? 'a page at ' : ''}${from === 'null' ? 'an opaque origin' : from}`,
    };
  return { kind: 'sameOrigin' };
}
