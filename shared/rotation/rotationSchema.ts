import { z } from 'zod';
import { instantSchema } from '../events/instantSchema.js';

// The one home of a rotation's shapes: the stored rotation (rotationSchema), its types (Rotation.ts, by
// z.output) and what the API shows (toRotationView) are all built from these parts, so a field added
// here is stored, read back and typed alike.

/**
 * A rotation is a persisted state machine, in the spirit of AWS Secrets Manager's create, set, test and
 * finish steps. `step` names the next thing to do; the record is saved after every step so a crashed
 * run resumes (or rolls back) on the next one. It never holds a secret value: only key ids and versions.
 */
export const rotationSteps = ['addSecret', 'verify', 'notify', 'retire', 'rollBack', 'completed', 'failed'] as const;
export const rotationStepSchema = z.enum(rotationSteps);

/** One of the app's client secrets as Entra lists it (a `passwordCredential`'s id, name and end), never its value. */
export const passwordCredentialInfoSchema = z.object({ keyId: z.string(), displayName: z.string().nullable(), endDateTime: instantSchema });
/** What went wrong, for a rotation that is rolling back or failed. */
export const failureSchema = z.object({ step: rotationStepSchema, reason: z.string() });
export const applicationSchema = z.object({ objectId: z.string(), appId: z.string(), displayName: z.string() });
/** Who asked: a caller's app id (or object id), or the rule for policy rotations. */
export const requesterSchema = z.object({ kind: z.enum(['caller', 'policy']), id: z.string(), name: z.string() });
export const historyEntrySchema = z.object({
  at: instantSchema,
  step: rotationStepSchema,
  outcome: z.string(),
  detail: z.string().optional(),
});
/** Hours to keep the old secret after the new one is in place; `never` keeps it for a person to remove. */
export const graceHoursSchema = z.union([z.int(), z.literal('never')]);

/**
 * The app management policy as read when the rotation was planned: the lifetime it allows (the new
 * secret's is clamped to it), or why it could not be read (the request's lifetime then stands, and a
 * refusal at addPassword fails the step with Graph's reason).
 */
export const policySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('read'),
    maxLifetimeDays: z.int().nullable(),
    by: z.string().nullable().describe('The app management policy that set the limit.'),
    requestedLifetimeDays: z.int(),
  }),
  z.object({ kind: z.literal('unknown'), reason: z.string() }),
]);

/**
 * How the old secret's retirement goes after the grace period: `waiting` while Entra's usage report
 * shows it still signing in since the new one was stored (who: the resource it signed in to and the
 * vault copies that still hold it), `decided` with the evidence it was removed on.
 */
export const retirementSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('waiting'),
    lastSignIn: instantSchema,
    resource: z.string().nullable(),
    holders: z.array(z.string()),
    since: instantSchema,
    nextCheckAt: instantSchema,
  }),
  z.object({ kind: z.literal('decided'), evidence: z.string() }),
]);

/** What every rotation holds, whatever its step. */
const baseSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  application: applicationSchema,
  /** The credential to replace and retire; absent: a new secret is added and nothing is retired. */
  oldCredential: passwordCredentialInfoSchema.optional(),
  lifetimeDays: z.int(),
  /** Absent on rotations planned before policies were read. */
  policy: policySchema.optional(),
  retireOldAfterHours: graceHoursSchema,
  vault: z.object({
    url: z.string(),
    secretName: z.string(),
    /** The version that was current when planned: restored if the rotation rolls back. */
    previousVersion: z.string().optional(),
    /** Tags of that version, carried over to the new one (routing hints, links). */
    tags: z.record(z.string(), z.string()),
  }),
  /** Routing hints for events, from the secret's tags (vigil-owner, vigil-team, vigil-downstream). */
  routing: z.object({ owner: z.string().optional(), team: z.string().optional(), downstream: z.string().optional() }),
  requestedBy: requesterSchema,
  requestedAt: instantSchema,
  /** Attempts of the current step; reset when the step changes. */
  attempts: z.int().nonnegative(),
  /** The step is not due before this time (a retry later, or the end of the grace period). */
  wakeAt: instantSchema.optional(),
  /** A run working on the rotation holds it until this time; after that a crash is assumed. */
  leaseUntil: instantSchema.optional(),
  history: z.array(historyEntrySchema),
  updatedAt: instantSchema,
});

/** The new secret, once it exists in Entra and in Key Vault (`vaultVersion` is its Key Vault version). */
const newSecret = { newCredential: passwordCredentialInfoSchema, vaultVersion: z.string() };
/** A rotation rolling back or failed may or may not have got as far as the new secret. */
const maybeNewSecret = { newCredential: passwordCredentialInfoSchema.optional(), vaultVersion: z.string().optional() };
// Retirement bookkeeping came later than the first rotations: optional wherever a rotation may end.
const retirementState = { retireAt: instantSchema.optional(), retirement: retirementSchema.optional() };
/** A field a step does not have, so that reading it from any rotation gives `undefined`. */
const absent = z.undefined().optional();

/**
 * A stored rotation, checked and typed by its step: a row that says `verify` without its new secret, or
 * `failed` without why, is refused rather than read into a rotation that lies. Rows written by earlier
 * versions (without `policy` or `retirement`) still read. From `verify` on a rotation has its new
 * secret, at `retire` the old one and when to remove it, and a rotation rolling back or failed says why.
 * Only a rollback that began before the new secret was stored, or a failure, may lack the new secret.
 */
export const rotationSchema = z.discriminatedUnion('step', [
  // Nothing changed yet: the next run creates the new secret.
  baseSchema.extend({
    step: z.literal('addSecret'),
    newCredential: absent,
    vaultVersion: absent,
    retireAt: absent,
    retirement: absent,
    failure: absent,
  }),
  // The new secret is stored: it is checked with Entra, then announced.
  baseSchema.extend({ step: z.enum(['verify', 'notify']), ...newSecret, retireAt: absent, retirement: absent, failure: absent }),
  // The new secret is in use; the old one is removed once the grace period is over and nothing signs in with it.
  baseSchema.extend({
    step: z.literal('retire'),
    ...newSecret,
    oldCredential: passwordCredentialInfoSchema,
    retireOldAfterHours: z.int(),
    retireAt: instantSchema,
    retirement: retirementSchema.optional(),
    failure: absent,
  }),
  // The new secret could not be verified (or its step was abandoned): what this rotation added is undone.
  baseSchema.extend({ step: z.literal('rollBack'), ...maybeNewSecret, retireAt: absent, retirement: absent, failure: failureSchema }),
  baseSchema.extend({ step: z.literal('completed'), ...newSecret, ...retirementState, failure: absent }),
  baseSchema.extend({ step: z.literal('failed'), ...maybeNewSecret, ...retirementState, failure: failureSchema }),
]);
