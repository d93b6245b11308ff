import { z } from 'zod';
import { createConcurrencyLimit } from '../../helpers/createConcurrencyLimit.js';
import type { PageFetcher } from './createPageFetcher.js';

/** A failed Graph read: what the fetcher classified, with Graph's status and code when it answered. */
export interface GraphReadFailure {
  reason: string;
  status: number | undefined;
  serviceCode: string | undefined;
}

const pageSchema = z.object({ value: z.array(z.unknown()), '@odata.nextLink': z.string().optional() });

/**
 * Every item of a Graph collection, following `@odata.nextLink` (only ever on `origin`: Vigil's token goes
 * nowhere else), or the first failure. For the small collections a scan reads beside the directory.
 */
export async function readPages(
  fetcher: PageFetcher,
  origin: string,
  url: string,
  headers: Record<string, string> = {},
): Promise<{ ok: true; items: unknown[] } | { ok: false; failure: GraphReadFailure }> {
  const items: unknown[] = [];
  const read = await visitPages(fetcher, origin, url, (page) => void items.push(...page), headers);
  return read.ok ? { ok: true, items } : read;
}

/**
 * The same, handing each page to `visit` as it arrives, so a whole-tenant read holds one page at a time.
 * It reads at most `maxPages` pages: `pages` says how many it read, and `next` where the rest starts
 * (absent when it read the last page).
 */
export async function visitPages(
  fetcher: PageFetcher,
  origin: string,
  url: string,
  visit: (items: unknown[]) => void,
  headers: Record<string, string> = {},
  maxPages = Infinity,
): Promise<{ ok: true; pages: number; next?: string | undefined } | { ok: false; failure: GraphReadFailure }> {
  let pages = 0;
  for (let next: string | undefined = url; next;) {
    if (pages === maxPages) return { ok: true, pages, next };
    const result = await fetcher.get(next, headers);
    if (result.kind === 'deltaRefused') return { ok: false, failure: { reason: result.reason, status: undefined, serviceCode: undefined } };
    if (result.kind === 'failed')
      return { ok: false, failure: { reason: result.failure.reason, status: result.status, serviceCode: result.serviceCode } };
    const page = pageSchema.safeParse(result.body);
    if (!page.success)
      return {
        ok: false,
        failure: { reason: `Graph sent a malformed page for ${url.split('?')[0]}`, status: 200, serviceCode: undefined },
      };
    visit(page.data.value);
    pages += 1;
    next = page.data['@odata.nextLink'];
    if (next && !next.startsWith(`${origin}/`))
      return { ok: false, failure: { reason: 'Graph sent a next link to another host', status: 200, serviceCode: undefined } };
  }
  return { ok: true, pages };
}

/** A query string with each value percent-encoded, as Graph's OData options expect (`$filter=appId in ('…')`). */
export function odataQuery(options: Record<string, string>): string {
  return Object.entries(options)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&');
}

/** Requests read beside one another in a scan: a few at once, well inside Graph's per-app limits. */
const READS_AT_ONCE = 4;

/**
 * `read` of each item, `READS_AT_ONCE` at a time, the answers in the items' order. Once a read fails, no
 * further item is started (a refused tenant would refuse them all): the answers then stop short, with the
 * failure among them.
 */
export async function eachAtOnce<T, R extends { ok: boolean }>(items: readonly T[], read: (item: T) => Promise<R>): Promise<R[]> {
  const limit = createConcurrencyLimit(READS_AT_ONCE);
  let failed = false;
  const reads = await Promise.all(
    items.map((item) =>
      limit(async () => {
        if (failed) return undefined;
        const answer = await read(item);
        failed ||= !answer.ok;
        return answer;
      }),
    ),
  );
  return reads.filter((answer): answer is Awaited<R> => answer !== undefined);
}
