import { z } from 'zod';
import type { CredentialFacts } from './Finding.js';

const vaultCopySchema = z.object({ vaultUrl: z.string(), secretName: z.string() });

/** Credential facts as stored (upcoming crossings): checked when read back, never cast. */
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
