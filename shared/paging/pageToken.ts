import { createHash } from 'node:crypto';
import { z } from 'zod';

/** A page token this list did not give out, or gave out for another query: the caller's mistake. */
export class InvalidPageToken extends Error {
  constructor() {
    super('the page token is not one this list gave out (or it belongs to another query)');
    this.name = 'InvalidPageToken';
  }
}

/** Where the next page starts: which of the list's reads, and where within it (a store's continuation, or the last key). */
export type PagePosition = { filter: number; continuation?: string | undefined };

const pageTokenSchema = z.object({ v: z.literal(1), q: z.string(), s: z.number().int().min(0), c: z.string().optional() });

/** The query a token belongs to: a token is refused by any other query, so pages never mix lists. */
const fingerprintOf = (query: unknown) => createHash('sha256').update(JSON.stringify(query)).digest('base64url').slice(0, 12);

/**
 * The opaque `$skipToken` of every paged list: the position, bound to the query (any JSON value that
 * names the filters; two queries that list the same thing must give the same value).
 */
export function toPageToken(query: unknown, position: PagePosition): string {
  const token = { v: 1, q: fingerprintOf(query), s: position.filter, ...(position.continuation ? { c: position.continuation } : {}) };
  return Buffer.from(JSON.stringify(token), 'utf8').toString('base64url');
}

/** The position a token holds; `InvalidPageToken` for a token made up, damaged or from another query. */
export function fromPageToken(query: unknown, token: string): PagePosition {
  let parsed: z.output<typeof pageTokenSchema>;
  try {
    parsed = pageTokenSchema.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
  } catch {
    throw new InvalidPageToken();
  }
  if (parsed.q !== fingerprintOf(query)) throw new InvalidPageToken();
  return { filter: parsed.s, continuation: parsed.c };
}
