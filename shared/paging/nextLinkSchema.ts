import { z } from 'zod';

/**
 * The `nextLink` of a paged list (Azure REST API guidelines: `value`, `nextLink`): the same request with
 * the next page's `$skipToken`, present while more follow. Every paged list of the API shares it.
 */
export const nextLinkSchema = z
  .url()
  .describe('The next page: request it as it is (it keeps every filter and $top). Absent on the last page.');
