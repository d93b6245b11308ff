import { Webhook } from 'standardwebhooks';
import type { ChannelSecrets } from '../keyVault/createSecretCache.js';
import type { WebhookPoster } from '../../notifications/ChannelOutcome.js';
import { postToChannel } from '../http/postToChannel.js';
import { readChannelSecret } from '../http/readChannelSecret.js';
import { withNote } from '../http/toChannelOutcome.js';

/**
 * Sends a Standard Webhooks delivery (github.com/standard-webhooks/standard-webhooks, spec): the
 * `webhook-id` stays the same across retries so receivers can drop duplicates, `webhook-timestamp` is
 * this attempt's, and `webhook-signature` is `v1,` + HMAC-SHA256 of "{id}.{timestamp}.{body}" with the
 * endpoint's `whsec_` secret, read from Key Vault per endpoint.
 */
export function createWebhookPoster(secrets: ChannelSecrets, timeoutMs: number, fetchFn: typeof fetch = fetch): WebhookPoster {
  return {
    async post(endpoint, delivery) {
      const secret = await readChannelSecret(secrets, endpoint.signingSecretName, 'the signing key');
      if (secret.kind === 'unavailable') return secret.outcome;
      const sentAt = delivery.now.toJSDate();
      let signature: string;
      try {
        signature = new Webhook(secret.value).sign(delivery.id, sentAt, delivery.body);
      } catch {
        return {
          kind: 'failed',
          reason: `Key Vault secret ${endpoint.signingSecretName} is not a valid whsec_ signing key`,
          permanent: true,
        };
      }
      const headers = {
        'content-type': delivery.contentType,
        'user-agent': 'Vigil',
        'webhook-id': delivery.id,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': signature,
      };
      const outcome = await postToChannel(
        fetchFn,
        endpoint.url,
        { to: 'the webhook endpoint', headers, body: delivery.body },
        timeoutMs,
        sentAt.getTime(),
      );
      return withNote(outcome, secret.note);
    },
  };
}
