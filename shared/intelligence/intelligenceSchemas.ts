import { z } from 'zod';
import { instantSchema } from '../events/instantSchema.js';
import { adviceKinds, type Advice } from './Advice.js';
import type { CredentialUsage } from './CredentialUsage.js';
import { hygieneChecks, type HygieneItem } from './HygieneItem.js';
import type { Impact } from './Impact.js';

/**
 * The typed intelligence fields, once: stored findings are parsed with them, and the event model
 * (credential events' `usage`, `advice`, `impact`, `hygiene`) is built from them, so the events schema
 * documents exactly what is stored and shown.
 */
export const usageSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('used'), lastSignIn: instantSchema }),
    z.object({ kind: z.literal('unused'), lastSignIn: instantSchema.nullable(), unusedDays: z.number().int() }),
    z.object({ kind: z.literal('unknown'), reason: z.string() }),
  ])
  .meta({
    id: 'CredentialUsage',
    description: "The credential's last sign-in from Entra's usage report: used, unused (on evidence), or unknown with the reason.",
  }) satisfies z.ZodType<CredentialUsage>;

export const adviceSchema = z
  .object({
    kind: z.enum(adviceKinds),
    text: z.string(),
    reason: z.string(),
    portalUrl: z.string(),
  })
  .meta({
    id: 'Advice',
    description: 'The one recommended path for the credential, with the evidence it rests on.',
  }) satisfies z.ZodType<Advice>;

export const impactSchema = z
  .object({
    connections: z.array(
      z.object({ name: z.string(), vaultUrl: z.string(), downstream: z.string().nullable(), keyConfirmed: z.boolean() }),
    ),
    vaultCopies: z.array(z.object({ vaultUrl: z.string(), secretName: z.string() })),
    owners: z.array(z.string()).nullable(),
  })
  .meta({
    id: 'Impact',
    description: 'What breaks with the credential: token connections, Key Vault copies, owners (null: not read).',
  }) satisfies z.ZodType<Impact>;

export const hygieneItemSchema = z.object({ check: z.enum(hygieneChecks), reason: z.string() }).meta({
  id: 'HygieneItem',
  description: 'What an auditor would raise, with its reason; never counted as needing action.',
}) satisfies z.ZodType<HygieneItem>;
