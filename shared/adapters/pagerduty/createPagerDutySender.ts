import { z } from 'zod';
import { jsonText } from '../../helpers/jsonText.js';
import type { ChannelSecrets } from '../keyVault/createSecretCache.js';
import type { PagerDutySender } from '../../notifications/ChannelOutcome.js';
import { postJsonWithSecret } from '../http/postJsonWithSecret.js';

const refusalSchema = z.object({ message: z.string().optional(), errors: z.array(z.string()).optional() });

/**
 * PagerDuty's refusal (`{"status":"invalid event","message":"Event object is invalid","errors":[…]}`) says
 * which field is wrong; kept for the delivery log with anything that looks like a key blanked out.
 */
function pagerDutyErrorOf(body: string): string | undefined {
  const refusal = jsonText(refusalSchema).safeParse(body);
  if (!refusal.success) return undefined;
  const words = [refusal.data.message, ...(refusal.data.errors ?? [])].filter((w): w is string => !!w).join('; ');
  return words ? words.replace(/[A-Za-z0-9+/_-]{20,}/g, '…').slice(0, 300) : undefined;
}

/**
 * Sends an Events API v2 event (developer.pagerduty.com/docs/events-API-v2/overview): 202 accepted; 400
 * an invalid event, not retried; 429 and 5xx retried with backoff (PagerDuty asks for a few minutes; its
 * limits are per routing key and adjusted dynamically). The routing key is a Key Vault secret.
 */
export function createPagerDutySender(secrets: ChannelSecrets, timeoutMs: number, fetchFn: typeof fetch = fetch): PagerDutySender {
  return {
    send: (service, event) =>
      postJsonWithSecret(
        secrets,
        {
          secretName: service.routingKeySecretName,
          what: 'the PagerDuty routing key',
          to: 'PagerDuty',
          isUrl: false,
          build: (key) => ({ url: service.eventsUrl, body: { routing_key: key, ...event } }),
          errorCodeOf: pagerDutyErrorOf,
        },
        timeoutMs,
        fetchFn,
      ),
  };
}
