import { z } from 'zod';
import { jsonSetting } from '../settings/jsonSetting.js';
import { secretNameSchema } from '../vault/secretNameSchema.js';

/** Entra allows client secrets of at most two years; Vigil's default follows common policy (six months). */
export const lifetimeLimits = { defaultDays: 180, maxDays: 730 } as const;
export const defaultGraceHours = 168;

export const lifetimeDaysSchema = z
  .int()
  .min(1)
  .max(lifetimeLimits.maxDays, `must be at most ${lifetimeLimits.maxDays} days (Entra's limit for client secrets)`);
/** Hours to keep the old secret after the new one is in place; `never` keeps it for a person to remove. */
export const graceSchema = z.union([z.int().min(0).max(8760), z.literal('never')]);

/**
 * An opt-in rule for policy-driven rotation (setting VIGIL_ROTATION_RULES): rotate the app's secret kept
 * in `vaultSecretName` once fewer than `withinDays` days remain. Key Vault tags opt in the same way
 * (`vigil-app-id` + `vigil-rotate-within-days` on the secret).
 */
export const rotationRuleSchema = z
  .object({
    appId: z.uuid(),
    vaultSecretName: secretNameSchema,
    vaultUrl: z.url({ protocol: /^https$/ }).optional(),
    withinDays: z.int().min(1).max(365),
    lifetimeDays: lifetimeDaysSchema.optional(),
    retireOldAfterHours: graceSchema.optional(),
  })
  .strict();
export type RotationRule = z.output<typeof rotationRuleSchema>;

/** The setting's text: a JSON array of rules. */
export const rotationRulesSetting = jsonSetting(z.array(rotationRuleSchema), '[{"appId":"…","vaultSecretName":"…","withinDays":30}]');
