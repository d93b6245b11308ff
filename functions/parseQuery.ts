import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { z } from 'zod';
import { invalidQuery } from './problem.js';

/**
 * Validates a request's query string: the typed values, or a 400 problem document naming each bad
 * parameter (in `detail` for a person and in `errors[].field` for a program).
 */
export function parseQuery<T extends z.ZodType>(
  request: HttpRequest,
  schema: T,
): { ok: true; value: z.output<T> } | { ok: false; response: HttpResponseInit } {
  const parsed = schema.safeParse(Object.fromEntries(request.query.entries()));
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, response: invalidQuery(parsed.error) };
}
