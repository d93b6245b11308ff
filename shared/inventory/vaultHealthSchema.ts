import { z } from 'zod';
import type { VaultHealth } from './VaultHealth.js';

const problemSchema = z.object({
  code: z.string(),
  reason: z.string(),
  persistent: z.boolean(),
  missingRole: z.string().optional(),
});

/** A stored vault health row, checked when read back. */
export const vaultHealthSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('ok'),
    vaultUrl: z.string(),
    lastCheckedAt: z.string(),
    lastSuccessAt: z.string(),
    secrets: z.number().int(),
  }),
  z.object({
    status: z.literal('failing'),
    vaultUrl: z.string(),
    lastCheckedAt: z.string(),
    lastSuccessAt: z.string().optional(),
    secrets: z.number().int().optional(),
    failingSince: z.string(),
    consecutiveFailures: z.number().int(),
    problem: problemSchema,
    alertedCode: z.string().optional(),
  }),
]) satisfies z.ZodType<VaultHealth>;
