/** One page of a list as Vigil answers it: its items, and where the next page is while more follow. */
export interface ListPage {
  items: unknown[];
  nextLink: string | undefined;
}

/**
 * Reads a page of a list route as Vigil answers every one, the Azure REST guidelines' `{ value, nextLink }`.
 * Anything else (the `{ count, connections }` of a Vigil from before paging) is not a list: read as one, it
 * would show a first page as the whole.
 */
export function toListPage(body: unknown): ListPage | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { value, nextLink } = body as Record<string, unknown>;
  if (!Array.isArray(value)) return undefined;
  return { items: value as unknown[], nextLink: typeof nextLink === 'string' && nextLink !== '' ? nextLink : undefined };
}
