/** One page of a list as Vigil answers it: its items, and where the next page is while more follow. */
export interface ListPage {
  items: unknown[];
  nextLink: string | undefined;
}

/**
 * Reads a list in any of the shapes Vigil's list routes answer: the Azure REST guidelines' page
 * (`{ value, nextLink }`, as `GET /api/findings`), a bare array, or a named array beside a count
 * (`{ count, connections }`, which the connections route answered before it was paged).
 */
export function toListPage(body: unknown, itemsKey?: string): ListPage | undefined {
  if (Array.isArray(body)) return { items: body, nextLink: undefined };
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const items = Array.isArray(record['value']) ? record['value'] : itemsKey ? record[itemsKey] : undefined;
  if (!Array.isArray(items)) return undefined;
  const nextLink = typeof record['nextLink'] === 'string' && record['nextLink'] !== '' ? record['nextLink'] : undefined;
  return { items: items as unknown[], nextLink };
}
