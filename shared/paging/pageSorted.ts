import { fromPageToken, toPageToken } from './pageToken.js';

/**
 * A page of a list read whole and ordered here by a unique key (`keyOf`): sorted by that key, the page
 * after the last key the previous page showed, so a row added or removed between two pages neither
 * repeats nor hides another. The token is bound to `query`; a foreign one throws `InvalidPageToken`.
 */
export function pageSorted<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  query: unknown,
  options: { size: number; after?: string | undefined },
): { items: T[]; next?: string } {
  const after = options.after === undefined ? undefined : (fromPageToken(query, options.after).continuation ?? '');
  const sorted = items
    .map((item) => ({ item, key: keyOf(item) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .filter((e) => after === undefined || e.key > after);
  const page = sorted.slice(0, options.size);
  const last = page.at(-1);
  return {
    items: page.map((e) => e.item),
    ...(sorted.length > options.size && last ? { next: toPageToken(query, { filter: 0, continuation: last.key }) } : {}),
  };
}
