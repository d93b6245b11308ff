import { z } from 'zod';
import { rotationSteps, type Rotation } from './Rotation.js';

const credentialSchema = z.object({ keyId: z.string(), displayName: z.string().nullable(), endDateTime: z.string() });
const failureSchema = z.object({ step: z.enum(rotationSteps), reason: z.string() });
const retirementSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('waiting'),
    lastSignIn: z.string(),
    resource: z.string().nullable(),
    holders: z.array(z.string()),
    since: z.string(),
    nextCheckAt: z.string(),
  }),
  z.object({ kind: z.literal('decided'), evidence: z.string() }),
]);

const baseSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  application: z.object({ objectId: z.string(), appId: z.string(), displayName: z.string() }),
  oldCredential: credentialSchema.optional(),
  lifetimeDays: z.number(),
  // Rotations planned before policies were read have none.
  policy: z
    .discriminatedUnion('kind', [
      z.object({
        kind: z.literal('read'),
        maxLifetimeDays: z.number().nullable(),
        by: z.string().nullable(),
        requestedLifetimeDays: z.number(),
      }),
      z.object({ kind: z.literal('unknown'), reason: z.string() }),
    ])
    .optional(),
  retireOldAfterHours: z.union([z.number(), z.literal('never')]),
  vault: z.object({
    url: z.string(),
    secretName: z.string(),
    previousVersion: z.string().optional(),
    tags: z.record(z.string(), z.string()),
  }),
  routing: z.object({ owner: z.string().optional(), team: z.string().optional(), downstream: z.string().optional() }),
  requestedBy: z.object({ kind: z.enum(['caller', 'policy']), id: z.string(), name: z.string() }),
  requestedAt: z.string(),
  attempts: z.number().int().nonnegative(),
  wakeAt: z.string().optional(),
  leaseUntil: z.string().optional(),
  history: z.array(z.object({ at: z.string(), step: z.enum(rotationSteps), outcome: z.string(), detail: z.string().optional() })),
  updatedAt: z.string(),
});
const newSecret = { newCredential: credentialSchema, vaultVersion: z.string() };
const maybeNewSecret = { newCredential: credentialSchema.optional(), vaultVersion: z.string().optional() };
// Retirement bookkeeping came later than the first rotations: optional wherever a rotation may end.
const retirementState = { retireAt: z.string().optional(), retirement: retirementSchema.optional() };

/**
 * A stored rotation, checked and typed by its step: a row that says `verify` without its new secret, or
 * `failed` without why, is refused rather than read into a rotation that lies. Rows written by earlier
 * versions (without `policy` or `retirement`) still read.
 */
export const rotationSchema = z.discriminatedUnion('step', [
  baseSchema.extend({ step: z.literal('addSecret') }),
  baseSchema.extend({ step: z.enum(['verify', 'notify']), ...newSecret }),
  baseSchema.extend({
    step: z.literal('retire'),
    ...newSecret,
    oldCredential: credentialSchema,
    retireOldAfterHours: z.number(),
    retireAt: z.string(),
    retirement: retirementSchema.optional(),
  }),
  baseSchema.extend({ step: z.literal('rollBack'), ...maybeNewSecret, failure: failureSchema }),
  baseSchema.extend({ step: z.literal('completed'), ...newSecret, ...retirementState }),
  baseSchema.extend({ step: z.literal('failed'), ...maybeNewSecret, ...retirementState, failure: failureSchema }),
]) satisfies z.ZodType<Rotation>;
