import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { EmulatorContext } from '../EmulatorContext.js';
import type { CloudApp } from '../http/createHttpsListener.js';
import { checkWebhookBody } from './checkWebhookBody.js';
import { toCapturedRequest } from './toCapturedRequest.js';
import { verifyStandardWebhook } from './verifyStandardWebhook.js';
import { emptyAnswer } from '../http/emptyAnswer.js';

/** A 4xx as `application/problem+json` (RFC 9457). */
function toProblem(status: number, title: string, detail: string, extra: Record<string, unknown> = {}): Response {
  const body = { type: 'about:blank', title, status, detail, ...extra };
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json' } });
}

/**
 * A receiver for Standard Webhooks deliveries, one endpoint per `webhookEndpoints` entry of the state:
 * - `POST /webhooks/{endpoint}`: 404 for an unknown endpoint; 410 for one whose behaviour is `gone`
 *   (the spec's "disable this endpoint" answer); 401 when the signature or timestamp does not verify;
 *   400 when a JSON or CloudEvents body is malformed; otherwise 204.
 * - `GET /webhooks[?endpoint=name]`: what was received.
 * Every delivery to a known endpoint is recorded, so attempts can be counted; `verified` is true only
 * for those answered 2xx (signature good and body well formed).
 */
export function createWebhookReceiverApp({ store }: EmulatorContext): CloudApp {
  const app = new Hono<{ Bindings: HttpBindings }>();

  app.post('/webhooks/:endpoint', async (c) => {
    const name = c.req.param('endpoint');
    const endpoint = store.webhookEndpoint(name);
    if (!endpoint) return toProblem(404, 'Unknown webhook endpoint', `The local cloud has no webhook endpoint named "${name}".`);

    const body = await c.req.text();
    const headers = c.req.header();
    const receivedAt = store.now();
    const record = (verified: boolean): void =>
      store.captureWebhook({ ...toCapturedRequest(receivedAt, c.req.url, headers, body), endpoint: name, verified });

    if (endpoint.behaviour === 'gone') {
      record(false);
      return toProblem(410, 'Endpoint gone', `The webhook endpoint "${name}" is disabled; a sender should stop delivering to it.`);
    }
    const verification = verifyStandardWebhook(endpoint.secret, body, headers, receivedAt);
    if (verification.kind === 'rejected') {
      record(false);
      return toProblem(401, 'Webhook signature not verified', verification.reason);
    }
    const content = checkWebhookBody(headers['content-type'], body);
    if (content.kind === 'invalid') {
      record(false);
      return toProblem(400, content.title, content.problems.join('; '), { problems: content.problems });
    }
    record(true);
    return emptyAnswer(204);
  });

  app.get('/webhooks', (c) => {
    const endpoint = c.req.query('endpoint');
    return c.json(endpoint === undefined ? store.data.webhooks : store.data.webhooks.filter((w) => w.endpoint === endpoint));
  });

  return app;
}
