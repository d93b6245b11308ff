import type { ChannelOutcome } from '../../notifications/ChannelOutcome.js';
import type { ChannelSecrets } from '../keyVault/createSecretCache.js';

type SecretRead = { kind: 'found'; value: string; note?: string } | { kind: 'unavailable'; outcome: ChannelOutcome };

/**
 * Reads the Key Vault secret a channel needs (a Workflow URL, a signing key) as a value, or as the channel
 * outcome to report when it cannot be had: an unreadable vault is retried, a deleted or disabled secret is
 * not, and neither is a secret that should be a URL (`isUrl`) and is not an https URL: no retry mends a
 * value pasted wrong, so the channel is reported failing at once. `note` says when the value is the last
 * one read because Key Vault could not be reached.
 */
export async function readChannelSecret(secrets: ChannelSecrets, secretName: string, what: string, isUrl = false): Promise<SecretRead> {
  const secret = await secrets.get(secretName);
  switch (secret.kind) {
    case 'current':
      return checked({ kind: 'found', value: secret.value }, secretName, what, isUrl);
    case 'lastKnownGood':
      return checked({ kind: 'found', value: secret.value, note: `${what} from memory: ${secret.because}` }, secretName, what, isUrl);
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

/** The value never reaches the reason: a URL that is the credential may be only slightly wrong. */
function checked(found: Extract<SecretRead, { kind: 'found' }>, secretName: string, what: string, isUrl: boolean): SecretRead {
  if (!isUrl || (URL.canParse(found.value) && new URL(found.value).protocol === 'https:')) return found;
  return {
    kind: 'unavailable',
    outcome: { kind: 'failed', reason: `Key Vault secret ${secretName} (${what}) is not an https URL`, permanent: true },
  };
}
