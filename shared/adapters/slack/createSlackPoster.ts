import type { SecretValues } from '../keyVault/createSecretCache.js';
import type { SlackPoster } from '../../notifications/ChannelOutcome.js';
import { postToChannel } from '../http/postToChannel.js';
import { readChannelSecret } from '../http/readChannelSecret.js';
import { withNote } from '../http/toChannelOutcome.js';

/**
 * Slack answers an incoming webhook with 200 `ok`, or a status and a fixed error string
 * (api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks): 400 `invalid_payload`,
 * 403 `action_prohibited`, 404 `channel_not_found` or `no_service` (the webhook was removed), 410
 * `channel_is_archived`, 429 with Retry-After, 500 `rollup_error`. The status decides the outcome as for
 * any channel (410 switches the channel off, other 4xx are permanent, 429 and 5xx are retried); the
 * string is kept for the delivery log when it is such a code.
 */
export const slackErrorCodeOf = (body: string): string | undefined => (/^[a-z_]{1,64}$/.test(body.trim()) ? body.trim() : undefined);

/** Posts a Block Kit message to a Slack incoming webhook whose URL (its credential) is a Key Vault secret. */
export function createSlackPoster(secrets: SecretValues, timeoutMs: number, fetchFn: typeof fetch = fetch): SlackPoster {
  return {
    async post(channel, message) {
      const url = await readChannelSecret(secrets, channel.urlSecretName, 'the Slack webhook URL');
      if (url.kind === 'unavailable') return url.outcome;
      const outcome = await postToChannel(
        fetchFn,
        url.value,
        { headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) },
        timeoutMs,
        Date.now(),
        slackErrorCodeOf,
      );
      return withNote(outcome, url.note);
    },
  };
}
