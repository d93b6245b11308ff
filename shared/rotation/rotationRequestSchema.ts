import { z } from 'zod';
import { graceSchema, lifetimeDaysSchema } from './rotationRules.js';
import { secretNameSchema } from '../vault/secretNameSchema.js';

/** The body of `POST /api/rotations`; also the source of its schema in the OpenAPI description. */
export const rotationRequestSchema = z
  .object({
    tenantId: z.guid().describe('Tenant of the app registration.'),
    appId: z.guid().optional().describe('Application (client) id. Give this or objectId.'),
    objectId: z.guid().optional().describe('Object id of the app registration. Give this or appId.'),
    keyId: z
      .guid()
      .optional()
      .describe(
        'Key id of the client secret to replace and later remove. Default: the one the Key Vault secret is tagged with (vigil-key-id); without either nothing is removed.',
      ),
    lifetimeDays: lifetimeDaysSchema
      .optional()
      .describe('Lifetime of the new secret in days (default from VIGIL_ROTATION_LIFETIME_DAYS, at most 730).'),
    vaultSecretName: secretNameSchema.describe('Key Vault secret that receives the new secret as a new version.'),
    vaultUrl: z
      .url({ protocol: /^https$/ })
      .optional()
      .describe('One of VIGIL_KEY_VAULT_URLS; default the first.'),
    retireOldAfterHours: graceSchema
      .optional()
      .describe('Hours until the old secret is removed (default VIGIL_ROTATION_GRACE_HOURS), or "never".'),
    dryRun: z.boolean().default(false).describe('Only check and report the plan; change nothing.'),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (!body.appId === !body.objectId)
      ctx.addIssue({ code: 'custom', path: ['appId'], message: 'give exactly one of appId and objectId' });
  });

export type RotationRequest = z.output<typeof rotationRequestSchema>;
