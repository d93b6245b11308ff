import { z } from 'zod';

/**
 * A string holding JSON (an app setting, a stored row's property), parsed and then checked against
 * `schema`. Text that is not JSON is an issue with `message`, never an exception.
 */
export function jsonText<T extends z.ZodType>(schema: T, message = 'is not valid JSON') {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
    })
    .pipe(schema);
}
