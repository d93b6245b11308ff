import { z } from 'zod';

/**
 * An app setting holding JSON text, parsed and then checked against `schema`. Malformed JSON is reported
 * with an example of the expected shape, since "invalid input" on a whole JSON setting helps nobody.
 */
export function jsonSetting<T extends z.ZodType>(schema: T, example: string) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be JSON such as ${example}` });
        return z.NEVER;
      }
    })
    .pipe(schema);
}
