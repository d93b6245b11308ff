import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { z } from 'zod';
import { problem } from './problem.js';

/**
 * Validates a request's query string: the typed values, or a 400 problem document naming each bad
 * parameter (in `detail` for a person and in `errors` for a program).
 */
export function parseQuery<T extends z.ZodType>(
  request: HttpRequest,
  schema: T,
): { ok: true; value: z.output<T> } | { ok: false; response: HttpResponseInit } {
  const parsed = schema.safeParse(Object.fromEntries(request.query.entries()));
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors = parsed.error.issues.map((i) => ({ parameter: String(i.path[0] ?? ''), problem: i.message }));
  const detail = errors.map((e) => `${e.parameter || '(query)'}: ${e.problem}`).join('; ');
  return { ok: false, response: problem(400, 'Invalid query', detail, { errors }) };
}
