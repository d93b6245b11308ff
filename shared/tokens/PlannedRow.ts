import { z } from 'zod';
import { linkedFindingSchema, refreshFailureClasses } from '../events/vigilEvent.js';
import type { ConnectionState } from './ConnectionState.js';

const text = z.string().optional();

/** A stored state as it travels in a refresh message: the same fields as `ConnectionState`, checked. */
export const connectionStateSchema = z.object({
  vaultUrl: z.string(),
  name: z.string(),
  status: z.enum(['healthy', 'failing', 'misconfigured']),
  failureClass: z.enum(refreshFailureClasses).optional(),
  lastSuccess: text,
  lastAttempt: text,
  consecutiveFailures: z.number().int().nonnegative(),
  failingSince: text,
  lastErrorCode: text,
  correlationId: text,
  whoMustAct: text,
  remediation: text,
  alertedClass: z.enum(refreshFailureClasses).optional(),
  nextAttemptAt: text,
  tokenVersion: text,
  tokenCreatedOn: text,
  lastWriteBack: text,
  expectedLapse: text,
  grantedScopes: text,
  problems: z.array(z.string()).optional(),
  tenant: text,
  owner: text,
  team: text,
  downstream: text,
  clientSecret: z
    .object({
      kind: z.enum(['clientSecret', 'certificate']).optional(),
      name: z.string(),
      appId: z.string().nullable(),
      keyId: z.string().nullable(),
      endDateTime: z.string().nullable(),
    })
    .optional(),
  linkedFinding: linkedFindingSchema.extend({ status: z.enum(['expiring', 'expired', 'stale', 'hygiene']) }).optional(),
}) satisfies z.ZodType<ConnectionState>;

/**
 * A connection's row as the planner read it: its version (the Table Storage ETag; null when there was
 * no row) and its state. When the row is still at that version, the refresh takes the lease in one
 * conditional write instead of reading the row first; otherwise it reads, as without a plan.
 */
export const plannedRowSchema = z.object({
  version: z.string().min(1).nullable(),
  state: connectionStateSchema.optional(),
});
export type PlannedRow = z.infer<typeof plannedRowSchema>;
