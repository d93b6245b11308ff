import { describe, expect, it } from 'vitest';
import { createSlackPoster } from '../../../../shared/adapters/slack/createSlackPoster.js';
import { answeringFetch } from '../http/answeringFetch.js';
import type { ChannelSecrets } from '../../../../shared/adapters/keyVault/createSecretCache.js';

const URL_SECRET = 'https://hooks.slack.test/services/T/B/secret';
const secrets: ChannelSecrets = { get: async () => ({ kind: 'current', value: URL_SECRET }) };
const answering = answeringFetch;

describe('createSlackPoster', () => {
  it("names Slack's error string: 404 no_service is permanent, 410 channel_is_archived is gone, 429 waits for Retry-After", async () => {
    const post = (status: number, body: string, headers?: Record<string, string>) =>
      createSlackPoster(secrets, 1000, answering(status, body, headers).fetchFn).post(
        { name: 'ops', urlSecretName: 'slack-url' },
        { text: 'x' },
      );
    expect(await post(200, 'ok')).toEqual({ kind: 'delivered' });
    expect(await post(404, 'no_service')).toEqual({ kind: 'failed', permanent: true, reason: 'HTTP 404 no_service' });
    expect(await post(410, 'channel_is_archived')).toEqual({ kind: 'gone', reason: 'HTTP 410 Gone channel_is_archived' });
    expect(await post(429, 'rate_limited', { 'retry-after': '30' })).toMatchObject({ kind: 'retryAfter', ms: 30_000 });
    expect(await post(400, `<html>echo of ${URL_SECRET}</html>`)).toEqual({
      kind: 'failed',
      permanent: true,
      reason: 'HTTP 400',
    });
  });
});

describe('createSlackPoster with a secret that is no https URL', () => {
  it('fails at once, naming the secret and not its value, and sends nothing', async () => {
    const sent = answering(200, 'ok');
    const typo: ChannelSecrets = { get: async () => ({ kind: 'current', value: 'hooks.slack.test/services/T/B/secret' }) };
    const outcome = await createSlackPoster(typo, 1000, sent.fetchFn).post({ name: 'ops', urlSecretName: 'slack-url' }, { text: 'x' });
    expect(outcome).toEqual({
      kind: 'failed',
      permanent: true,
      reason: 'Key Vault secret slack-url (the Slack webhook URL) is not an https URL',
    });
    expect(sent.sent).toEqual([]);
  });
});
