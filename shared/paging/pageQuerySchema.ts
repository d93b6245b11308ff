import { z } from 'zod';

/** Items a page holds unless `$top` asks for fewer, and the most it may ask for: the same for every paged list. */
export const PAGE_SIZE = { default: 100, max: 1_000 } as const;

/**
 * The query parameters every paged list of the API takes (Azure REST API guidelines: `$top`,
 * `$skipToken`, answered with `value` and `nextLink`). The function key a caller may send as `code=` is
 * no query parameter of Vigil's: parseQuery leaves it out.
 */
export const pageQueryShape = {
  $top: z.coerce
    .number()
    .int()
    .min(1)
    .max(PAGE_SIZE.max)
    .optional()
    .describe(`Items per page, 1 to ${PAGE_SIZE.max} (default ${PAGE_SIZE.default}).`),
  $skipToken: z
    .string()
    .min(1)
    .optional()
    .describe("Where the page starts: opaque, and bound to the query; follow the previous page's nextLink rather than set it."),
};

/** The query of a list that takes nothing but paging (`GET /api/connections`). */
export const pageQuerySchema = z.strictObject(pageQueryShape);
