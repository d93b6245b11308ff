import { randomUUID } from 'node:crypto';
import type { SecretVersionRecord } from '../state/model.js';

/** A new secret version as Key Vault creates it: a 32-hex version id, soft-delete attributes, Unix-second times. */
export function createSecretVersion(
  nowSeconds: number,
  input: { value: string; tags?: Record<string, string>; contentType?: string | null; enabled?: boolean; nbf?: number; exp?: number },
): SecretVersionRecord {
  const attributes: SecretVersionRecord['attributes'] = {
    enabled: input.enabled ?? true,
    created: nowSeconds,
    updated: nowSeconds,
    recoverableDays: 90,
    recoveryLevel: 'Recoverable+Purgeable',
  };
  if (input.nbf !== undefined) attributes.nbf = input.nbf;
  if (input.exp !== undefined) attributes.exp = input.exp;
  return {
    version: randomUUID().replace(/-/g, ''),
    value: input.value,
    contentType: input.contentType ?? null,
    tags: input.tags ?? {},
    attributes,
  };
}
