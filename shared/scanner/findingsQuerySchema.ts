import { z } from 'zod';
import { pageQueryShape } from '../paging/pageQuerySchema.js';
import { severities } from '../events/vigilEvent.js';

/** The query of `GET /api/findings`; also the source of its parameters in the OpenAPI description. */
export const findingsQuerySchema = z.strictObject({
  tenant: z.uuid().optional().describe('Only this tenant.'),
  severity: z
    .string()
    .transform((s) => s.split(',').map((v) => v.trim()))
    .pipe(z.array(z.enum(severities)).min(1))
    .optional()
    // Described as what it is on the wire: a comma-separated list of severities (OpenAPI `explode: false`).
    .meta({
      description: 'Exact severities, comma-separated: `high,critical`.',
      type: 'array',
      items: { type: 'string', enum: [...severities] },
    }),
  maxDaysLeft: z.coerce
    .number()
    .int()
    .min(-36_500)
    .max(36_500)
    .optional()
    .describe('At most this many days left (negative: expired at least that long ago).'),
  format: z
    .enum(['json', 'csv'])
    .optional()
    .describe('json (a page at a time) or csv (every page); default: json, or csv for Accept: text/csv.'),
  ...pageQueryShape,
});
