import { z } from 'zod';
import { severities } from '../events/vigilEvent.js';
import { adviceSchema, hygieneItemSchema, impactSchema, usageSchema } from '../intelligence/intelligenceSchemas.js';
import { credentialTypes, findingStatuses, subjectKinds, type CredentialFacts, type Finding } from './Finding.js';

const vaultCopySchema = z.object({ vaultUrl: z.string(), secretName: z.string() });

/** Credential facts as stored (findings, upcoming crossings): checked when read back, never cast. */
export const credentialFactsSchema = z.object({
  tenantId: z.string(),
  subjectKind: z.enum(subjectKinds),
  objectId: z.string(),
  appId: z.string().nullable(),
  subjectName: z.string(),
  keyId: z.string(),
  credentialType: z.enum(credentialTypes),
  credentialName: z.string().nullable(),
  // Rows written before Vigil read start dates and federated credentials lack them.
  startDateTime: z.string().nullable().default(null),
  endDateTime: z.string(),
  outlivedBy: z.object({ keyId: z.string(), endDateTime: z.string() }).nullable(),
  vaultCopy: vaultCopySchema.nullable(),
  portalUrl: z.string(),
  federated: z.boolean().default(false),
}) satisfies z.ZodType<CredentialFacts, unknown>;

/** A stored finding: the facts and how they were judged. */
export const findingSchema = credentialFactsSchema.extend({
  status: z.enum(findingStatuses),
  daysLeft: z.number().int(),
  threshold: z.number().int(),
  severity: z.enum(severities),
  overlap: z.boolean(),
  vaultCopyStale: z.boolean(),
  usage: usageSchema.nullable().default(null),
  advice: adviceSchema.nullable().default(null),
  impact: impactSchema.nullable().default(null),
  hygiene: z.array(hygieneItemSchema).default([]),
}) satisfies z.ZodType<Finding, unknown>;
