import type { ChannelSecrets } from '../keyVault/createSecretCache.js';
import type { TeamsPoster } from '../../notifications/ChannelOutcome.js';
import { postToChannel } from '../http/postToChannel.js';
import { readChannelSecret } from '../http/readChannelSecret.js';
import { withNote } from '../http/toChannelOutcome.js';

/**
 * Posts a card to a Teams Workflows webhook whose URL is a Key Vault secret: the URL's `sig=` is the
 * credential, so it is read when needed and appears in no setting, log line or error.
 */
export function createTeamsPoster(secrets: ChannelSecrets, timeoutMs: number, fetchFn: typeof fetch = fetch): TeamsPoster {
  return {
    async post(channel, message) {
      const url = await readChannelSecret(secrets, channel.urlSecretName, 'the Workflow URL');
      if (url.kind === 'unavailable') return url.outcome;
      const outcome = await postToChannel(
        fetchFn,
        url.value,
        { headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) },
        timeoutMs,
        Date.now(),
      );
      return withNote(outcome, url.note);
    },
  };
}
