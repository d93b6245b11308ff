import type { z } from 'zod';
import { jsonText } from '../helpers/jsonText.js';

/**
 * An app setting holding JSON text, parsed and then checked against `schema`. Malformed JSON is reported
 * with an example of the expected shape, since "invalid input" on a whole JSON setting helps nobody.
 */
export function jsonSetting<T extends z.ZodType>(schema: T, example: string) {
  return jsonText(schema, `must be JSON such as ${example}`);
}
