import { z } from 'zod';

// What the CLI reads of Vigil's answers, checked at the edge: only the fields its tables show, each
// object kept whole (looseObject) so --json prints what the API said.

const time = z.string();

export const findingSchema = z.looseObject({
  id: z.string(),
  tenantId: z.string(),
  tenantName: z.string(),
  subject: z.string(),
  subjectKind: z.string(),
  appId: z.string().nullable(),
  keyId: z.string(),
  vaultCopy: z.looseObject({ vaultUrl: z.string(), secretName: z.string() }).nullable(),
  credentialType: z.enum(['password', 'certificate', 'samlSigning', 'vaultSecret']),
  credentialName: z.string().nullable(),
  endDateTime: time,
  daysLeft: z.number(),
  status: z.string(),
  severity: z.string(),
});
export type FindingItem = z.output<typeof findingSchema>;

export const unscannedSchema = z.looseObject({
  tenantId: z.string(),
  tenantName: z.string(),
  reason: z.string(),
  missingPermission: z.string().nullable(),
  since: time,
});
export type UnscannedItem = z.output<typeof unscannedSchema>;

export const connectionSchema = z.looseObject({
  name: z.string(),
  vaultUrl: z.string(),
  status: z.string(),
  expectedLapse: time.nullable(),
  whoMustAct: z.string().nullable(),
  nextAction: z.string(),
});
export type ConnectionItem = z.output<typeof connectionSchema>;

const credentialSchema = z.looseObject({ keyId: z.string(), displayName: z.string().nullable(), endDateTime: time });

export const rotationSchema = z.looseObject({
  id: z.string(),
  status: z.string(),
  dryRun: z.boolean(),
  tenantId: z.string(),
  application: z.looseObject({ appId: z.string(), displayName: z.string() }),
  oldCredential: credentialSchema.nullable(),
  newCredential: credentialSchema.nullable(),
  lifetimeDays: z.number(),
  retireOldAfterHours: z.union([z.number(), z.literal('never')]),
  vault: z.looseObject({ url: z.string(), secretName: z.string(), version: z.string().nullable() }),
  retireAt: time.nullable(),
  nextAttemptAt: time.nullable(),
  failure: z.looseObject({ step: z.string(), reason: z.string() }).nullable(),
  history: z.array(z.looseObject({ at: time, step: z.string(), outcome: z.string(), detail: z.string().optional() })),
});
export type RotationItem = z.output<typeof rotationSchema>;

export const healthSchema = z.looseObject({
  status: z.enum(['ok', 'degraded']),
  checkedAt: time,
  storage: z.string(),
  lastCompleted: z.record(z.string(), time.nullable()),
  poisonedMessages: z.number().nullable(),
  problems: z.array(z.string()),
});
export type HealthItem = z.output<typeof healthSchema>;

export const queuedScansSchema = z.looseObject({
  queued: z.array(z.looseObject({ tenantId: z.string(), displayName: z.string(), findings: z.string() })),
  links: z.looseObject({ findings: z.string(), dashboard: z.string(), health: z.string() }),
});

export const refreshSchema = z.looseObject({ outcome: z.string(), warnings: z.array(z.string()), connection: connectionSchema });

export const snoozeSchema = z.looseObject({
  findingId: z.string(),
  name: z.string(),
  snooze: z.looseObject({ until: time, reason: z.string(), by: z.string() }),
});
