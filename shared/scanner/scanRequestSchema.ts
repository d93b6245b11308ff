import { z } from 'zod';

/**
 * The body of `POST /api/scans`: `{"tenantId": "…"}` scans one watched tenant, `{"all": true}` (or `{}`)
 * every tenant in VIGIL_TENANTS. Also the source of its schema in the OpenAPI description.
 */
export const scanRequestSchema = z
  .strictObject({
    tenantId: z
      .uuid()
      .transform((id) => id.toLowerCase())
      .optional()
      .describe('A tenant in VIGIL_TENANTS to scan. Leave out (or give all: true) to scan every watched tenant.'),
    all: z.literal(true).optional().describe('Scan every tenant in VIGIL_TENANTS; the same as an empty body.'),
  })
  .superRefine((body, ctx) => {
    if (body.tenantId && body.all) ctx.addIssue({ code: 'custom', path: ['all'], message: 'give tenantId or all, not both' });
  });

export type ScanRequest = z.output<typeof scanRequestSchema>;
