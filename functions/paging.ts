import type { HttpResponseInit } from '@azure/functions';
import { InvalidPageToken } from '../shared/paging/pageToken.js';
import { invalidField } from './problem.js';

/**
 * A page read with the caller's `$skipToken`: the page, or a 400 naming `$skipToken` when the token is
 * not one this list gave out for this query. Every paged list answers a bad token the same way.
 */
export async function readPage<T>(read: () => Promise<T> | T): Promise<{ ok: true; page: T } | { ok: false; response: HttpResponseInit }> {
  try {
    return { ok: true, page: await read() };
  } catch (error) {
    if (!(error instanceof InvalidPageToken)) throw error;
    return { ok: false, response: invalidField('invalidQuery', '$skipToken', `${error.message}; start again without it`) };
  }
}

/**
 * The same request with the next page's token: every filter and `$top` kept, so the pages are one list.
 * A function key sent as `code=` is left out: a link is copied into logs and tickets.
 */
export function nextLinkOf(requestUrl: string, token: string | undefined): { nextLink?: string } {
  if (token === undefined) return {};
  const url = new URL(requestUrl);
  url.searchParams.delete('code');
  url.searchParams.set('$skipToken', token);
  // As Azure's own nextLinks spell them: `$top`, `$skipToken` (URLSearchParams writes `%24`).
  return { nextLink: url.toString().replace(/([?&])%24(\w+)=/g, '$1$$$2=') };
}
