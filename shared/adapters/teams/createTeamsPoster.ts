import { describeAzureError } from '../azure/describeAzureError.js';
import type { SecretValues } from '../keyVault/createSecretCache.js';
import type { TeamsPoster } from '../../notifications/ChannelOutcome.js';
import { networkFailure, toChannelOutcome } from '../http/toChannelOutcome.js';

/**
 * Posts a card to a Teams Workflows webhook whose URL is a Key Vault secret: the URL's `sig=` is the
 * credential, so it is read when needed and appears in no setting, log line or error.
 */
export function createTeamsPoster(secrets: SecretValues, fetchFn: typeof fetch = fetch): TeamsPoster {
  return {
    async post(channel, message) {
      let url: string | undefined;
      try {
        url = await secrets.get(channel.urlSecretName);
      } catch (error) {
        return {
          kind: 'failed',
          reason: `cannot read Key Vault secret ${channel.urlSecretName}: ${describeAzureError(error)}`,
          permanent: false,
        };
      }
      if (!url)
        return { kind: 'failed', reason: `Key Vault secret ${channel.urlSecretName} (the Workflow URL) does not exist`, permanent: true };
      try {
        const response = await fetchFn(url, {
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
