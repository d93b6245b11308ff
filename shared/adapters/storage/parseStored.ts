import type { z } from 'zod';

/**
 * A JSON column read back through its schema: the value, or undefined when the text is not JSON or does
 * not fit (a row written by an older version, or damaged). Callers treat that as no value, and their
 * next write replaces it; nothing is cast.
 */
export function parseStored<S extends z.ZodType>(schema: S, text: unknown): z.output<S> | undefined {
  if (typeof text !== 'string') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
