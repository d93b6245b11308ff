import type { ChannelOutcome } from '../../notifications/ChannelOutcome.js';
import { describeAzureError } from '../azure/describeAzureError.js';
import type { SecretValues } from '../keyVault/createSecretCache.js';

/**
 * Reads the Key Vault secret a channel needs (a Workflow URL, a signing key) as a value, or as the channel
 * outcome to report when it cannot be had: an unreadable vault is retried, a missing secret is not.
 */
export async function readChannelSecret(
  secrets: SecretValues,
  secretName: string,
  what: string,
): Promise<{ kind: 'found'; value: string } | { kind: 'unavailable'; outcome: ChannelOutcome }> {
  let value: string | undefined;
  try {
    value = await secrets.get(secretName);
  } catch (error) {
    return {
      kind: 'unavailable',
      outcome: { kind: 'failed', reason: `cannot read Key Vault secret ${secretName}: ${describeAzureError(error)}`, permanent: false },
    };
  }
  if (!value)
    return {
      kind: 'unavailable',
      outcome: { kind: 'failed', reason: `Key Vault secret ${secretName} (${what}) does not exist`, permanent: true },
    };
  return { kind: 'found', value };
}
