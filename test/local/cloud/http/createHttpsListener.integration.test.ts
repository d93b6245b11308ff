import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';
import { VAULT } from '../../../support/testScenario.js';
import { applicationOf, graphFetch } from '../graph/graphTestSupport.js';

let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(async () => t.stop());

/** Azure's empty answers carry no content type; the local cloud's must not either (a client may branch on the header). */
const expectEmpty = (response: { status: number; headers: Headers }, status: number) => {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBeNull();
};

describe('answers without a body', () => {
  it('Graph removePassword: 204 without a content type', async () => {
    const cerb = applicationOf(t, 'Cerb Helpdesk');
    const added = await graphFetch(t, `/v1.0/applications/${cerb.id}/addPassword`, { method: 'POST', body: '{}' });
    const removed = await graphFetch(t, `/v1.0/applications/${cerb.id}/removePassword`, {
      method: 'POST',
      body: JSON.stringify({ keyId: added.body!['keyId'] }),
    });
    expectEmpty(removed, 204);
  });

  it('Graph sendMail: 202 without a content type', async () => {
    const message = {
      subject: 'hi',
      body: { contentType: 'Text', content: 'hi' },
      toRecipients: [{ emailAddress: { address: 'ops@contoso.com' } }],
    };
    const sent = await graphFetch(t, '/v1.0/users/ops@contoso.onmicrosoft.com/sendMail', {
      method: 'POST',
      body: JSON.stringify({ message }),
    });
    expectEmpty(sent, 202);
  });

  it('Key Vault purge: 204 without a content type', async () => {
    const vault = t.cloud.endpoints.vaults[VAULT]!;
    const token = (await t.credential().getToken('https://vault.azure.net/.default')).token;
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${vault}${path}?api-version=7.6`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    expect((await call('PUT', '/secrets/doomed', { value: 'x' })).status).toBe(200);
    expect((await call('DELETE', '/secrets/doomed')).status).toBe(200);
    expectEmpty(await call('DELETE', '/deletedsecrets/doomed'), 204);
  });

  it('a Teams Workflow: 202 without a content type', async () => {
    const card = { type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text: 'hi', wrap: true }] };
    const message = {
      type: 'message',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }],
    };
    const response = await fetch(`${t.cloud.endpoints.sinks}/teams/ops?sig=x`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
    });
    expectEmpty(response, 202);
  });

  it('a Standard Webhooks receiver: 204 without a content type', async () => {
    const body = JSON.stringify({ specversion: '1.0', id: 'evt-1', source: '/vigil', type: 'credential.expiring' });
    const sentAt = new Date();
    const response = await fetch(`${t.cloud.endpoints.sinks}/webhooks/cerb`, {
      method: 'POST',
      headers: {
        'content-type': 'application/cloudevents+json',
        'webhook-id': 'msg_1',
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').sign('msg_1', sentAt, body),
      },
      body,
    });
    expectEmpty(response, 204);
  });

  it('keeps the content type of answers with a body', async () => {
    const page = await graphFetch(t, '/v1.0/applications?$top=1');
    expect(page.headers.get('content-type')).toMatch(/^application\/json/);
  });
});
