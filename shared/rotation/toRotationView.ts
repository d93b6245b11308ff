import { z } from 'zod';
import { instantSchema } from '../events/instantSchema.js';
import type { Rotation } from './Rotation.js';
import {
  applicationSchema,
  passwordCredentialInfoSchema,
  failureSchema,
  graceHoursSchema,
  historyEntrySchema,
  policySchema,
  requesterSchema,
  retirementSchema,
  rotationStepSchema,
} from './rotationSchema.js';

/** What the API shows of a rotation, from the stored rotation's parts; the handlers' answers are typed by it, and the OpenAPI description generated from it. */
export const rotationViewSchema = z
  .object({
    id: z.string().regex(/^rot-/),
    status: rotationStepSchema.describe('The next step, or where it ended (completed, failed).'),
    dryRun: z.boolean().describe('A plan only: nothing was changed.'),
    tenantId: z.string(),
    application: applicationSchema,
    oldCredential: passwordCredentialInfoSchema
      .nullable()
      .describe('The secret replaced and later retired; null: a new secret is added and nothing is retired.'),
    newCredential: passwordCredentialInfoSchema.nullable(),
    lifetimeDays: z.int(),
    policy: policySchema
      .nullable()
      .describe('The app management policy as read when planned: the lifetime it allows, or why it is unknown.'),
    retireOldAfterHours: graceHoursSchema,
    vault: z.object({
      url: z.string(),
      secretName: z.string(),
      version: z.string().nullable(),
      previousVersion: z.string().nullable(),
    }),
    retireAt: instantSchema.nullable(),
    retirement: retirementSchema
      .nullable()
      .describe('Waiting while the old secret still signs in (its last use and who), or the evidence it was removed on.'),
    nextAttemptAt: instantSchema.nullable(),
    failure: failureSchema.nullable(),
    requestedBy: requesterSchema,
    requestedAt: instantSchema,
    updatedAt: instantSchema,
    history: z.array(historyEntrySchema),
  })
  .meta({ id: 'Rotation', description: "A rotation's plan and progress. Never a secret value." });
export type RotationView = z.output<typeof rotationViewSchema>;

/** What the API shows of a rotation: its plan and progress, without lease bookkeeping. Never a secret value. */
export function toRotationView(rotation: Rotation, options: { dryRun?: boolean } = {}): RotationView {
  return {
    id: rotation.id,
    status: rotation.step,
    dryRun: options.dryRun ?? false,
    tenantId: rotation.tenantId,
    application: rotation.application,
    oldCredential: rotation.oldCredential ?? null,
    newCredential: rotation.newCredential ?? null,
    lifetimeDays: rotation.lifetimeDays,
    policy: rotation.policy ?? null,
    retireOldAfterHours: rotation.retireOldAfterHours,
    vault: {
      url: rotation.vault.url,
      secretName: rotation.vault.secretName,
      version: rotation.vaultVersion ?? null,
      previousVersion: rotation.vault.previousVersion ?? null,
    },
    retireAt: rotation.retireAt ?? null,
    retirement: rotation.retirement ?? null,
    nextAttemptAt: rotation.wakeAt ?? null,
    failure: rotation.failure ?? null,
    requestedBy: rotation.requestedBy,
    requestedAt: rotation.requestedAt,
    updatedAt: rotation.updatedAt,
    history: rotation.history,
  };
}
