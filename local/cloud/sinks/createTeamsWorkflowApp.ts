import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { EmulatorContext } from '../EmulatorContext.js';
import type { CloudApp } from '../http/createHttpsListener.js';
import { checkTeamsMessage, type TeamsMessageCheck } from './checkTeamsMessage.js';
import { toCapturedRequest } from './toCapturedRequest.js';
import { emptyAnswer } from '../http/emptyAnswer.js';

type Rejection = Exclude<TeamsMessageCheck, { kind: 'accepted' }>;

/**
 * Error answers in the Logic Apps shape `{"error":{"code","message"}}`.
 * - TriggerInputSchemaMismatch and its message format are what Workflows answers for a body that
 *   misses a schema property (grafana/grafana#99477, laravel-notification-channels/microsoft-teams#42).
 * - InvalidRequestContent (body not JSON) and RequestEntityTooLarge are not observed: chosen in the
 *   same style.
 * - AdaptiveCardRejected is the emulator's own: Workflows answers 202 and the failure shows only in the
 *   flow's run history ("Flow run failed. Action 'Post_card_in_a_chat_or_channel' failed: …",
 *   ffind-dev/pve-ups#4) or as a card Teams cannot display.
 */
function toWorkflowError(rejection: Rejection): Response {
  const { status, code, message } = ((): { status: number; code: string; message: string } => {
    switch (rejection.kind) {
      case 'tooLarge':
        return { status: 413, code: 'RequestEntityTooLarge', message: rejection.reason };
      case 'unreadable':
        return { status: 400, code: 'InvalidRequestContent', message: rejection.reason };
      case 'schemaMismatch':
        return {
          status: 400,
          code: 'TriggerInputSchemaMismatch',
          message: `The input body for trigger 'manual' of type 'Request' did not match its schema definition. Error details: '${rejection.reason}'.`,
        };
      case 'cardRejected':
        return {
          status: 400,
          code: 'AdaptiveCardRejected',
          message: `${rejection.reason} (Teams Workflows would accept this request with 202 and then fail the flow run or show a broken card; the local cloud rejects it so tests see it.)`,
        };
    }
  })();
  return new Response(JSON.stringify({ error: { code, message } }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

/**
 * A Teams channel reached through a Workflows "When a Teams webhook request is received" URL:
 * `POST /teams/{channel}?sig=…` answers 202 with no body, as Workflows does (the legacy connector
 * answered 200 with `1`). The `sig` credential is not checked. `GET /teams[?channel=name]` lists what was posted.
 */
export function createTeamsWorkflowApp({ store }: EmulatorContext): CloudApp {
  const app = new Hono<{ Bindings: HttpBindings }>();

  app.post('/teams/:channel', async (c) => {
    const body = Buffer.from(await c.req.arrayBuffer());
    const check = checkTeamsMessage(c.req.header('content-type'), body);
    if (check.kind !== 'accepted') return toWorkflowError(check);
    store.captureTeams(toCapturedRequest(store.now(), c.req.url, c.req.header(), body.toString('utf8')));
    return emptyAnswer(202);
  });

  app.get('/teams', (c) => {
    const channel = c.req.query('channel');
    const path = channel === undefined ? undefined : `/teams/${encodeURIComponent(channel)}`;
    return c.json(path === undefined ? store.data.teams : store.data.teams.filter((m) => m.path === path));
  });

  return app;
}
