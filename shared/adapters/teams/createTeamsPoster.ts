import type { SecretValues } from '../keyVault/createSecretCache.js';
import type { TeamsPoster } from '../../notifications/ChannelOutcome.js';
import { readChannelSecret } from '../http/readChannelSecret.js';
import { networkFailure, toChannelOutcome } from '../http/toChannelOutcome.js';

/**
 * Posts a card to a Teams Workflows webhook whose URL is a Key Vault secret: the URL's `sig=` is the
 * credential, so it is read when needed and appears in no setting, log line or error.
 */
export function createTeamsPoster(secrets: SecretValues, fetchFn: typeof fetch = fetch): TeamsPoster {
  return {
    async post(channel, message) {
      const url = await readChannelSecret(secrets, channel.urlSecretName, 'the Workflow URL');
      if (url.kind === 'unavailable') return url.outcome;
      try {
        const response = await fetchFn(url.value, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(message),
        });
        await response.body?.cancel();
        return toChannelOutcome(response.status, response.headers.get('retry-after'), Date.now());
      } catch (error) {
        return networkFailure(error);
      }
    },
  };
}
