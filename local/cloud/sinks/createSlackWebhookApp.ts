import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { EmulatorContext } from '../EmulatorContext.js';
import type { CloudApp } from '../http/createHttpsListener.js';
import { checkSlackMessage } from './checkSlackMessage.js';
import { toCapturedRequest } from './toCapturedRequest.js';

/** Slack answers incoming webhooks in plain text: `ok`, or an error string. */
const answer = (status: number, text: string): Response =>
  new Response(text, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });

/**
 * A Slack incoming webhook (`https://hooks.slack.com/services/T…/B…/…`) at
 * `POST /slack/services/{team}/{bot}/{token}`: 200 `ok` for a message Slack would post; 400 with Slack's
 * error string for one it would refuse (see checkSlackMessage). The token `removed` stands for a webhook
 * someone deleted (404 `no_service`), `archived` for one whose channel was archived (410
 * `channel_is_archived`). The path's token is the credential: only the team and bot ids are kept.
 * `GET /slack` lists what was posted.
 */
export function createSlackWebhookApp({ store }: EmulatorContext): CloudApp {
  const app = new Hono<{ Bindings: HttpBindings }>();

  app.post('/slack/services/:team/:bot/:token', async (c) => {
    const token = c.req.param('token');
    if (token === 'removed') return answer(404, 'no_service');
    if (token === 'archived') return answer(410, 'channel_is_archived');
    const body = await c.req.text();
    const check = checkSlackMessage(body);
    if (check.kind === 'rejected') return answer(400, check.error);
    const captured = toCapturedRequest(store.now(), c.req.url, c.req.header(), body);
    store.captureSlack({ ...captured, path: `/slack/services/${c.req.param('team')}/${c.req.param('bot')}` });
    return answer(200, 'ok');
  });

  app.get('/slack', (c) => c.json(store.data.slack));
  return app;
}
