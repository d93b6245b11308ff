/**
 * A person at the local Entra's sign-in pages, over plain HTTP: opens an authorize URL, picks an account,
 * types the password and accepts (or cancels) consent. Returns where Entra sends the browser next (the
 * app's redirect URI with `code` or `error`), or the page Entra stopped on.
 */
export async function signInAtLocalEntra(
  authorizeUrl: string,
  person: { username: string; password: string; consent?: 'accept' | 'cancel' },
): Promise<{ kind: 'redirect'; location: URL } | { kind: 'page'; status: number; html: string }> {
  let response = await fetch(authorizeUrl, { redirect: 'manual' });
  if (response.status === 302) return { kind: 'redirect', location: new URL(response.headers.get('location')!) };
  let html = await response.text();
  if (!html.includes('name="password"')) return { kind: 'page', status: response.status, html };
  const origin = new URL(authorizeUrl).origin;
  response = await submit(origin, html, { username: person.username, password: person.password });
  if (response.status === 302) return { kind: 'redirect', location: new URL(response.headers.get('location')!) };
  html = await response.text();
  if (!html.includes('name="decision"')) return { kind: 'page', status: response.status, html };
  response = await submit(origin, html, { decision: person.consent ?? 'accept' });
  if (response.status === 302) return { kind: 'redirect', location: new URL(response.headers.get('location')!) };
  return { kind: 'page', status: response.status, html: await response.text() };
}

async function submit(origin: string, html: string, fields: Record<string, string>): Promise<Response> {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const request = /name="request" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !request) throw new Error(`no sign-in form on the page:\n${html.slice(0, 500)}`);
  return fetch(`${origin}${action.replaceAll('&amp;', '&')}`, {
    method: 'POST',
    body: new URLSearchParams({ request, ...fields }),
    redirect: 'manual',
  });
}
