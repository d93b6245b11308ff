import { z } from 'zod';
import { linkedFindingSchema, refreshFailureClasses } from '../events/vigilEvent.js';
import type { ConnectionState } from './ConnectionState.js';
import { findingStatuses } from '../scanner/Finding.js';

const text = z.string().optional();

/** The credential (client secret or certificate) a connection signs in with, as stored in its state. */
export const connectionCredentialFactsSchema = z.object({
  kind: z.enum(['clientSecret', 'certificate']).optional(),
  name: z.string(),
  appId: z.string().nullable(),
  keyId: z.string().nullable(),
  endDateTime: z.string().nullable(),
});

/** The scanner's finding a failing connection is linked to, as stored in its state. */
export const storedLinkedFindingSchema = linkedFindingSchema.extend({ status: z.enum(findingStatuses) });

const baseSchema = z.object({
  vaultUrl: z.string(),
  name: z.string(),
  lastSuccess: text,
  lastAttempt: text,
  consecutiveFailures: z.number().int().nonnegative(),
  nextAttemptAt: text,
  tokenVersion: text,
  tokenCreatedOn: text,
  lastWriteBack: text,
  expectedLapse: text,
  grantedScopes: text,
  tenant: text,
  owner: text,
  team: text,
  downstream: text,
  clientSecret: connectionCredentialFactsSchema.optional(),
});

/** A stored state (a row, or as it travels in a refresh message), checked and typed by its status. */
export const connectionStateSchema = z.discriminatedUnion('status', [
  baseSchema.extend({ status: z.literal('healthy') }),
  baseSchema.extend({
    status: z.literal('failing'),
    failureClass: z.enum(refreshFailureClasses),
    failingSince: z.string(),
    lastErrorCode: z.string(),
    correlationId: text,
    whoMustAct: z.string(),
    remediation: z.string(),
    alertedClass: z.enum(refreshFailureClasses).optional(),
    linkedFinding: storedLinkedFindingSchema.optional(),
  }),
  baseSchema.extend({ status: z.literal('misconfigured'), problems: z.array(z.string()) }),
]) satisfies z.ZodType<ConnectionState>;

/**
 * A connection's row as the planner read it: its version (the Table Storage ETag; null when there was
 * no row) and its state. When the row is still at that version, the refresh takes the lease in one
 * conditional write instead of reading the row first; otherwise it reads, as without a plan.
 */
export const plannedRowSchema = z.object({
  version: z.string().min(1).nullable(),
  state: connectionStateSchema.optional(),
  /**
   * The row held columns its parsed state lacks (an older, flat schema's, or a field that did not parse):
   * its release must replace the row, or a later write that omits such a column would bring it back.
   */
  strayColumns: z.literal(true).optional(),
});
export type PlannedRow = z.infer<typeof plannedRowSchema>;
