import type { Context } from 'hono';
import { z } from 'zod';
import { badParameter, type KeyVaultFailure } from './keyVaultErrors.js';

/** `SecretAttributes` as sent: read-only fields (`created`, `recoveryLevel`, …) are ignored, as the service does. */
const attributesSchema = z.object({
  enabled: z.boolean().nullish(),
  nbf: z.number().int().nullish(),
  exp: z.number().int().nullish(),
});
const tagsSchema = z.record(z.string(), z.string());

/** `SecretSetParameters` (PUT /secrets/{name}). */
export const setSecretBodySchema = z.object({
  value: z.string(),
  contentType: z.string().nullish(),
  tags: tagsSchema.nullish(),
  attributes: attributesSchema.nullish(),
});
export type SetSecretBody = z.infer<typeof setSecretBodySchema>;

/** `SecretUpdateParameters` (PATCH /secrets/{name}/{version}): the value cannot change. */
export const updateSecretBodySchema = z.object({
  contentType: z.string().nullish(),
  tags: tagsSchema.nullish(),
  attributes: attributesSchema.nullish(),
});
export type UpdateSecretBody = z.infer<typeof updateSecretBodySchema>;

/**
 * Parses a JSON body into a command, or the 400 BadParameter Key Vault answers with. The wording of
 * these 400s is the emulator's own (the service's exact texts for malformed bodies are not recorded).
 */
export async function readSecretBody<T>(
  c: Context,
  schema: z.ZodType<T>,
): Promise<{ ok: true; value: T } | { ok: false; failure: KeyVaultFailure }> {
  const text = await c.req.text();
  let json: unknown;
  try {
    json = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return { ok: false, failure: badParameter('The request body is not valid JSON.') };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const property = issue?.path.join('.') || 'body';
    return { ok: false, failure: badParameter(`Property '${property}' has an invalid value: ${issue?.message ?? 'invalid'}.`) };
  }
  return { ok: true, value: parsed.data };
}
