import { z } from 'zod';
import { countsBySeveritySchema } from '../events/vigilEvent.js';
import type { ScanState } from './ScanPorts.js';

/** A tenant's stored scan state, checked when read back; its kept intelligence is a column of its own (keptIntelligenceColumn.ts). */
export const scanStateSchema = z.object({
  tenantId: z.string(),
  deltaLinks: z.object({ applications: z.string(), servicePrincipals: z.string() }).optional(),
  lastFullScanAt: z.string().optional(),
  lastSuccessAt: z.string().optional(),
  failingSince: z.string().optional(),
  failure: z
    .object({
      code: z.enum(['authentication', 'signInUnavailable', 'forbidden', 'throttled', 'incomplete', 'vigilFault']),
      reason: z.string(),
      missingPermission: z.string().optional(),
    })
    .optional(),
  lastScan: z
    .object({
      at: z.string(),
      mode: z.enum(['full', 'delta']),
      applications: z.number().int(),
      servicePrincipals: z.number().int(),
      findings: z.number().int(),
      durationMs: z.number(),
      counts: z
        .object({
          bySeverity: countsBySeveritySchema,
          endingByDay: z.record(z.string(), z.number().int()),
        })
        .optional(),
    })
    .optional(),
  findingsLayout: z.number().int().optional(),
  // A size that does not parse is not known (the next full read learns it afresh); the rest of the state stands.
  usageReport: z
    .object({ pages: z.number().int().min(1), more: z.boolean() })
    .optional()
    .catch(undefined),
  tenantApplications: z.number().int().min(0).optional().catch(undefined),
}) satisfies z.ZodType<Omit<ScanState, 'intelligence'>>;
