import type { ChannelSecrets } from '../keyVault/createSecretCache.js';
import type { SlackPoster } from '../../notifications/ChannelOutcome.js';
import { postJsonWithSecret } from '../http/postJsonWithSecret.js';

/**
 * Slack answers an incoming webhook with 200 `ok`, or a status and a fixed error string
 * (api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks): 400 `invalid_payload`,
 * 403 `action_prohibited`, 404 `channel_not_found` or `no_service` (the webhook was removed), 410
 * `channel_is_archived`, 429 with Retry-After, 500 `rollup_error`. The status decides the outcome as for
 * any channel (410 switches the channel off, other 4xx are permanent, 429 and 5xx are retried); the
 * string is kept for the delivery log when it is such a code.
 */
const slackErrorCodeOf = (body: string): string | undefined => (/^[a-z_]{1,64}$/.test(body.trim()) ? body.trim() : undefined);

/** Posts a Block Kit message to a Slack incoming webhook whose URL (its credential) is a Key Vault secret. */
export function createSlackPoster(secrets: ChannelSecrets, timeoutMs: number, fetchFn: typeof fetch = fetch): SlackPoster {
  return {
    post: (channel, message) =>
      postJsonWithSecret(
        secrets,
        {
          secretName: channel.urlSecretName,
          what: 'the Slack webhook URL',
          to: 'Slack',
          isUrl: true,
          build: (url) => ({ url, body: message }),
          errorCodeOf: slackErrorCodeOf,
        },
        timeoutMs,
        fetchFn,
      ),
  };
}
