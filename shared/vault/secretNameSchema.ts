import { z } from 'zod';

/**
 * What Key Vault accepts as a secret name: 1 to 127 letters, digits and dashes.
 * https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates#objects-identifiers-and-versioning
 */
export const secretNamePattern = /^[0-9a-zA-Z-]{1,127}$/;

/** A Key Vault secret name, wherever one enters Vigil (settings, requests, tags, queue messages). */
export const secretNameSchema = z
  .string()
  .regex(secretNamePattern, 'must be a Key Vault secret name (letters, digits and dashes, at most 127)');
