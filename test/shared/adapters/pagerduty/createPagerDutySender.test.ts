import { describe, expect, it } from 'vitest';
import { createPagerDutySender } from '../../../../shared/adapters/pagerduty/createPagerDutySender.js';
import { answeringFetch } from '../http/answeringFetch.js';
import type { ChannelSecrets } from '../../../../shared/adapters/keyVault/createSecretCache.js';

const KEY = 'R0123456789abcdef0123456789abcde';
const secrets: ChannelSecrets = { get: async () => ({ kind: 'current', value: KEY }) };
const answering = answeringFetch;
const service = { name: 'oncall', routingKeySecretName: 'pd-key', eventsUrl: 'https://events.pagerduty.com/v2/enqueue' };

describe('createPagerDutySender', () => {
  it('sends the event with the routing key from Key Vault, and 202 is delivered', async () => {
    const pd = answering(202, '{"status":"success","message":"Event processed","dedup_key":"f-1"}');
    const outcome = await createPagerDutySender(secrets, 1000, pd.fetchFn).send(service, { event_action: 'resolve', dedup_key: 'f-1' });
    expect(outcome).toEqual({ kind: 'delivered' });
    expect(pd.sent).toEqual([
      { url: service.eventsUrl, body: JSON.stringify({ routing_key: KEY, event_action: 'resolve', dedup_key: 'f-1' }) },
    ]);
  });

  it("keeps PagerDuty's reason for an invalid event, without anything key-like, and does not retry it; 429 is retried", async () => {
    const refused = answering(
      400,
      JSON.stringify({ status: 'invalid event', message: 'Event object is invalid', errors: [`Bad key ${KEY}`] }),
    );
    const outcome = await createPagerDutySender(secrets, 1000, refused.fetchFn).send(service, { event_action: 'trigger' });
    expect(outcome).toEqual({ kind: 'failed', permanent: true, reason: 'HTTP 400 Event object is invalid; Bad key …' });
    const busy = answering(429, '{"status":"throttle event"}');
    expect(await createPagerDutySender(secrets, 1000, busy.fetchFn).send(service, {})).toMatchObject({ kind: 'failed', permanent: false });
  });
});
