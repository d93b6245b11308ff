import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { z } from 'zod';
import { invalidQuery } from './problem.js';

/**
 * Validates a request's query string: the typed values, or a 400 problem document naming each bad
 * parameter (in `detail` for a person and in `errors[].field` for a program). The function key sent as
 * `code=` is the host's business (the `functionKey` security scheme), not a parameter: it is left out
 * here, once, so no query schema declares it and none of its values reach a handler.
 */
export function parseQuery<T extends z.ZodType>(
  request: HttpRequest,
  schema: T,
): { ok: true; value: z.output<T> } | { ok: false; response: HttpResponseInit } {
  const { code: _functionKey, ...query } = Object.fromEntries(request.query.entries());
  const parsed = schema.safeParse(query);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, response: invalidQuery(parsed.error) };
}
