import { z } from 'zod';
import { severities } from '../events/vigilEvent.js';
import type { CredentialFacts, Finding } from './Finding.js';

const vaultCopySchema = z.object({ vaultUrl: z.string(), secretName: z.string() });

/** Credential facts as stored (findings, upcoming crossings): checked when read back, never cast. */
export const credentialFactsSchema = z.object({
  tenantId: z.string(),
  subjectKind: z.enum(['application', 'servicePrincipal', 'vaultSecret']),
  objectId: z.string(),
  appId: z.string().nullable(),
  subjectName: z.string(),
  keyId: z.string(),
  credentialType: z.enum(['password', 'certificate', 'samlSigning', 'vaultSecret']),
  credentialName: z.string().nullable(),
  endDateTime: z.string(),
  outlivedBy: z.object({ keyId: z.string(), endDateTime: z.string() }).nullable(),
  vaultCopy: vaultCopySchema.nullable(),
  portalUrl: z.string(),
}) satisfies z.ZodType<CredentialFacts>;

/** A stored finding: the facts and how they were judged. */
export const findingSchema = credentialFactsSchema.extend({
  status: z.enum(['expiring', 'expired', 'stale']),
  daysLeft: z.number().int(),
  threshold: z.number().int(),
  severity: z.enum(severities),
  overlap: z.boolean(),
  vaultCopyStale: z.boolean(),
}) satisfies z.ZodType<Finding>;
