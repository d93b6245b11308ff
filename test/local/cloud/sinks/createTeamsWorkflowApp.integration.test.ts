import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';

let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(async () => t.stop());

type Json = Record<string, unknown>;

const card = (overrides: Json = {}): Json => ({
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  type: 'AdaptiveCard',
  version: '1.4',
  body: [
    { type: 'TextBlock', text: 'Client secret of Creatio CRM expires in 10 days', wrap: true },
    { type: 'FactSet', facts: [{ title: 'Tenant', value: 'Contoso' }] },
  ],
  actions: [{ type: 'Action.OpenUrl', title: 'Open in Entra', url: 'https://entra.microsoft.com/' }],
  ...overrides,
});
const message = (content: unknown = card()): Json => ({
  type: 'message',
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content }],
});

const post = async (body: unknown, channel = 'vigil-alerts', contentType = 'application/json') => {
  const response = await fetch(`${t.cloud.endpoints.sinks}/teams/${channel}?sig=not-checked`, {
    method: 'POST',
    headers: { 'content-type': contentType, authorization: 'Bearer should-not-be-kept' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    text,
    error: text ? (JSON.parse(text) as { error: { code: string; message: string } }).error : undefined,
  };
};
const captured = async (channel: string) => {
  const response = await fetch(`${t.cloud.endpoints.sinks}/teams?channel=${channel}`);
  return (await response.json()) as Array<{ path: string; headers: Record<string, string>; body: string; receivedAt: string }>;
};

describe('POST /teams/{channel}: a valid Workflows message', () => {
  it('answers 202 with an empty body and keeps the message without credentials', async () => {
    const sent = message();
    const { status, text } = await post(sent, 'accepted');
    expect(status).toBe(202);
    expect(text).toBe('');
    const [entry, ...rest] = await captured('accepted');
    expect(rest).toEqual([]);
    expect(entry!.path).toBe('/teams/accepted');
    expect(JSON.parse(entry!.body)).toEqual(sent);
    expect(entry!.headers['content-type']).toBe('application/json');
    expect(entry!.headers).not.toHaveProperty('authorization');
    expect(Date.parse(entry!.receivedAt)).not.toBeNaN();
  });

  it('accepts nested containers, columns, rich text and ShowCard/ToggleVisibility actions', async () => {
    const nested = card({
      body: [
        {
          type: 'Container',
          items: [{ type: 'ColumnSet', columns: [{ type: 'Column', items: [{ type: 'Image', url: 'https://example.com/a.png' }] }] }],
        },
        { type: 'RichTextBlock', inlines: ['plain', { type: 'TextRun', text: 'run' }] },
        { type: 'ActionSet', actions: [{ type: 'Action.ToggleVisibility', title: 'More', targetElements: ['details'] }] },
      ],
      actions: [
        {
          type: 'Action.ShowCard',
          title: 'Details',
          card: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'more', id: 'details' }] },
        },
      ],
    });
    expect((await post(message(nested), 'nested')).status).toBe(202);
    expect(await captured('nested')).toHaveLength(1);
  });
});

describe('POST /teams/{channel}: rejected messages', () => {
  const rejects = async (body: unknown, code: string, pattern: RegExp, channel = 'rejected') => {
    const { status, error } = await post(body, channel);
    expect(status).toBe(400);
    expect(error?.code).toBe(code);
    expect(error?.message).toMatch(pattern);
  };

  it('rejects a 1.5 card with the "couldn\'t be displayed" explanation', async () => {
    await rejects(
      message(card({ version: '1.5' })),
      'AdaptiveCardRejected',
      /version is "1\.5".*We're sorry, this card couldn't be displayed/,
    );
  });

  it('rejects a message whose type is not "message"', async () => {
    await rejects({ ...message(), type: 'MessageCard' }, 'AdaptiveCardRejected', /The message 'type' must be 'message'/);
  });

  it("rejects a card whose content.type is not AdaptiveCard with the flow's error text", async () => {
    await rejects(message(card({ type: 'MessageCard' })), 'AdaptiveCardRejected', /Property 'type' must be 'AdaptiveCard'/);
  });

  it('rejects Action.Submit, also inside an ActionSet of a ShowCard', async () => {
    const submit = { type: 'ActionSet', actions: [{ type: 'Action.Submit', title: 'Ack' }] };
    const showCard = { type: 'Action.ShowCard', title: 'More', card: { type: 'AdaptiveCard', body: [submit] } };
    await rejects(
      message(card({ actions: [showCard] })),
      'AdaptiveCardRejected',
      /actions\[0\]\.card\.body\[0\]\.actions\[0\] is an 'Action.Submit'/,
    );
  });

  it('rejects a 1.5 Table element, an element without type and an OpenUrl without url', async () => {
    await rejects(
      message(card({ body: [{ type: 'Table', rows: [] }] })),
      'AdaptiveCardRejected',
      /'Table', which needs Adaptive Card 1\.5/,
    );
    await rejects(message(card({ body: [{ text: 'no type' }] })), 'AdaptiveCardRejected', /content\.body\[0\] has no 'type'/);
    await rejects(
      message(card({ actions: [{ type: 'Action.OpenUrl', title: 'Go' }] })),
      'AdaptiveCardRejected',
      /Action\.OpenUrl\) needs a 'url'/,
    );
  });

  it('rejects an attachment without contentUrl as the trigger schema does', async () => {
    const { contentUrl: _omitted, ...attachment } = (message().attachments as Json[])[0]!;
    await rejects(
      { type: 'message', attachments: [attachment] },
      'TriggerInputSchemaMismatch',
      /^The input body for trigger 'manual' of type 'Request' did not match its schema definition\. Error details: 'Required properties are missing from object: contentUrl\.'\.$/,
    );
  });

  it('rejects a JSON body sent without a JSON content type as the trigger schema would', async () => {
    const { status, error } = await post(message(), 'rejected', 'text/plain;charset=UTF-8');
    expect(status).toBe(400);
    expect(error).toEqual({
      code: 'TriggerInputSchemaMismatch',
      message:
        "The input body for trigger 'manual' of type 'Request' did not match its schema definition. Error details: 'Required properties are missing from object: type, attachments.'.",
    });
  });

  it('rejects a body that is not JSON', async () => {
    await rejects('{"type":"message",', 'InvalidRequestContent', /not valid JSON/);
  });

  it('answers 413 "Request entity too large" above 28 KB', async () => {
    const big = message(card({ body: [{ type: 'TextBlock', text: 'x'.repeat(29 * 1024) }] }));
    const { status, error } = await post(big, 'too-large');
    expect(status).toBe(413);
    expect(error?.code).toBe('RequestEntityTooLarge');
    expect(error?.message).toMatch(/^Request entity too large/);
    expect(await captured('too-large')).toEqual([]);
  });

  it('keeps nothing from rejected messages', async () => {
    expect(await captured('rejected')).toEqual([]);
  });
});
