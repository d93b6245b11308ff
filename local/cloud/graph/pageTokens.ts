import { z } from 'zod';

/**
 * `$skiptoken` and `$deltatoken` values. Graph's are opaque; ours are base64url JSON (no padding, so the
 * Graph client's query parser, which splits on the first `=`, keeps them whole).
 */
export function encodePageToken(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodePageToken<T>(raw: string, schema: z.ZodType<T>): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // Not base64url JSON at all: a garbled or foreign token, which the caller reports as Graph does.
    return undefined;
  }
}

/** Where a collection listing continues: after the last object id of the previous page. */
export const listTokenSchema = z.object({ k: z.literal('list'), c: z.string(), t: z.string(), after: z.string() });

const deltaScope = {
  c: z.string(),
  t: z.string(),
  /** `$select` of the first call, carried by every later link. */
  sel: z.array(z.string()).optional(),
  /** `$filter=id eq …` of the first call. */
  ids: z.array(z.string()).optional(),
  size: z.number().int().min(1),
  /** Invalidation generation of the tenant when the round began (see deltaTokenState). */
  gen: z.number().int(),
  /** Emulated time (ms) the round began; delta tokens for directory objects last seven days. */
  at: z.number(),
};

/** A page of a delta round: changes with `since < changeSeq <= upTo`, in change order after `afterSeq`. */
export const deltaPageTokenSchema = z.object({
  k: z.literal('deltaPage'),
  ...deltaScope,
  since: z.number().int(),
  upTo: z.number().int(),
  afterSeq: z.number().int(),
});
export type DeltaPageToken = z.infer<typeof deltaPageTokenSchema>;

/** A `@odata.deltaLink`: the next round reports changes after `seq`. */
export const deltaLinkTokenSchema = z.object({ k: z.literal('deltaLink'), ...deltaScope, seq: z.number().int() });
export type DeltaLinkToken = z.infer<typeof deltaLinkTokenSchema>;

/** A query string with Graph's `$` option names left readable and values encoded. */
export function toQueryString(params: ReadonlyArray<readonly [string, string]>): string {
  return params.map(([name, value]) => `${name}=${encodeURIComponent(value).replace(/%2C/gi, ',')}`).join('&');
}
