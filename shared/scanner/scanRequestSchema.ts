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

const scanLinks = {
  findings: z.string().describe('GET this for the findings once the scan ran (for the tenant, if one).'),
  dashboard: z.string().describe('The status page (for the tenant, if one).'),
};

/** What `POST /api/scans` answers (202): each tenant queued, and where to watch the outcome. */
export const queuedScansSchema = z
  .object({
    queued: z.array(z.object({ tenantId: z.string(), displayName: z.string(), ...scanLinks })),
    links: z.object({ ...scanLinks, health: z.string().describe('When each producer last completed.') }),
  })
  .meta({ id: 'QueuedScans' });
export type QueuedScans = z.output<typeof queuedScansSchema>;
