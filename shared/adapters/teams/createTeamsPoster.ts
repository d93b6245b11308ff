import type { ChannelSecrets } from '../keyVault/createSecretCache.js';
import type { TeamsPoster } from '../../notifications/ChannelOutcome.js';
import { postJsonWithSecret } from '../http/postJsonWithSecret.js';

/**
 * Posts a card to a Teams Workflows webhook whose URL is a Key Vault secret: the URL's `sig=` is the
 * credential, so it is read when needed and appears in no setting, log line or error.
 */
export function createTeamsPoster(secrets: ChannelSecrets, timeoutMs: number, fetchFn: typeof fetch = fetch): TeamsPoster {
  return {
    post: (channel, message) =>
      postJsonWithSecret(
        secrets,
        { secretName: channel.urlSecretName, what: 'the Workflow URL', to: 'Teams', isUrl: true, build: (url) => ({ url, body: message }) },
        timeoutMs,
        fetchFn,
      ),
  };
}
