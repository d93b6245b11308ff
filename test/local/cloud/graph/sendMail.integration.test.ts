import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';
import { testScenario } from '../../../support/testScenario.js';
import { errorOf, graphFetch, READER_SECRET } from './graphTestSupport.js';

let t: TestCloud;
beforeAll(async () => {
  const scenario = testScenario();
  const home = scenario.tenants[0]!;
  home.users = [...(home.users ?? []), { userPrincipalName: 'contractor@contoso.onmicrosoft.com', mail: null }];
  t = await startTestCloud({ scenario });
});
afterAll(async () => t.stop());

const message = {
  subject: 'Client secret for Creatio CRM expires in 10 days',
  body: { contentType: 'HTML', content: '<p>Rotate it.</p>' },
  toRecipients: [{ emailAddress: { address: 'ops@contoso.onmicrosoft.com', name: 'Ops' } }],
};

describe('POST /users/{id}/sendMail', () => {
  it('accepts the message (202) and captures it with its sender', async () => {
    const before = t.cloud.context.store.data.mail.length;
    await t.graphClient().api('/users/helpdesk@contoso.onmicrosoft.com/sendMail').post({ message, saveToSentItems: false });
    const captured = t.cloud.context.store.data.mail.slice(before);
    expect(captured).toHaveLength(1);
    expect(captured[0]!.sender).toBe('helpdesk@contoso.onmicrosoft.com');
    expect(JSON.parse(captured[0]!.body)).toEqual({ message, saveToSentItems: false });
    expect(captured[0]!.headers['authorization']).toBeUndefined();

    const raw = await graphFetch(t, '/v1.0/users/helpdesk@contoso.onmicrosoft.com/sendMail', {
      method: 'POST',
      body: JSON.stringify({ message }),
    });
    expect(raw.status).toBe(202);
    expect(raw.body).toBeUndefined();
  });

  it('answers an unknown mailbox with 404 ErrorInvalidUser', async () => {
    const response = await graphFetch(t, '/v1.0/users/nobody@contoso.onmicrosoft.com/sendMail', {
      method: 'POST',
      body: JSON.stringify({ message }),
    });
    expect(response.status).toBe(404);
    expect(errorOf(response)).toMatchObject({
      code: 'ErrorInvalidUser',
      message: "The requested user 'nobody@contoso.onmicrosoft.com' is invalid.",
    });
  });

  it('answers a user without a mailbox (mail: null) with 404 MailboxNotEnabledForRESTAPI', async () => {
    const raw = await graphFetch(t, '/v1.0/users/contractor@contoso.onmicrosoft.com/sendMail', {
      method: 'POST',
      body: JSON.stringify({ message }),
    });
    expect(raw.status).toBe(404);
    expect(errorOf(raw).code).toBe('MailboxNotEnabledForRESTAPI');
  });

  it('refuses a message without recipients or with a bad body type', async () => {
    const send = (body: unknown) =>
      graphFetch(t, '/v1.0/users/helpdesk@contoso.onmicrosoft.com/sendMail', { method: 'POST', body: JSON.stringify(body) });
    const none = await send({ message: { ...message, toRecipients: [] } });
    expect(none.status).toBe(400);
    expect(errorOf(none).code).toBe('ErrorInvalidRecipients');
    const unresolved = await send({ message: { ...message, toRecipients: [{ emailAddress: { name: 'no address' } }] } });
    expect(errorOf(unresolved).code).toBe('ErrorInvalidRecipients');
    const badType = await send({ message: { ...message, body: { contentType: 'Markdown', content: '# hi' } } });
    expect(badType.status).toBe(400);
    expect(errorOf(badType).message).toBe("Requested value 'Markdown' was not found.");
    const empty = await send({});
    expect(errorOf(empty).code).toBe('ErrorInvalidParameter');
  });

  it('refuses an app without Mail.Send with 403 ErrorAccessDenied', async () => {
    const response = await graphFetch(t, '/v1.0/users/helpdesk@contoso.onmicrosoft.com/sendMail', {
      method: 'POST',
      body: JSON.stringify({ message }),
      app: 'Vigil reader',
      secret: READER_SECRET,
    });
    expect(response.status).toBe(403);
    expect(errorOf(response).code).toBe('ErrorAccessDenied');
  });
});
