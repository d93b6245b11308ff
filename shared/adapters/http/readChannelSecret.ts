import type { ChannelOutcome } from '../../notifications/ChannelOutcome.js';
import type { ChannelSecrets } from '../keyVault/createSecretCache.js';

/**
 * Reads the Key Vault secret a channel needs (a Workflow URL, a signing key) as a value, or as the channel
 * outcome to report when it cannot be had: an unreadable vault is retried, a deleted or disabled secret is
 * not. `note` says when the value is the last one read because Key Vault could not be reached.
 */
export async function readChannelSecret(
  secrets: ChannelSecrets,
  secretName: string,
  what: string,
): Promise<{ kind: 'found'; value: string; note?: string } | { kind: 'unavailable'; outcome: ChannelOutcome }> {
  const secret = await secrets.get(secretName);
  switch (secret.kind) {
    case 'current':
      return { kind: 'found', value: secret.value };
    case 'lastKnownGood':
      return { kind: 'found', value: secret.value, note: `${what} from memory: ${secret.because}` };
    case 'absent':
      return {
        kind: 'unavailable',
        outcome: {
          kind: 'failed',
          reason: `Key Vault secret ${secretName} (${what}) ${secret.because === 'deleted' ? 'does not exist' : 'is disabled'}`,
          permanent: true,
        },
      };
    case 'unreadable':
      return {
        kind: 'unavailable',
        outcome: { kind: 'failed', reason: `cannot read Key Vault secret ${secretName}: ${secret.because}`, permanent: false },
      };
  }
}
