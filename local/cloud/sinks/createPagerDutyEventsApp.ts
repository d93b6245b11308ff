import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { EmulatorContext } from '../EmulatorContext.js';
import type { CloudApp } from '../http/createHttpsListener.js';
import { checkPagerDutyEvent } from './checkPagerDutyEvent.js';
import { toCapturedRequest } from './toCapturedRequest.js';

/**
 * PagerDuty's Events API v2 at `POST /pagerduty/v2/enqueue` (events.pagerduty.com/v2/enqueue): 202
 * `{status: "success", message: "Event processed", dedup_key}` for a valid event (a trigger without a
 * `dedup_key` gets a new one), 400 `{status: "invalid event", message: "Event object is invalid", errors}`
 * otherwise. The routing key is the credential: what is kept shows only its last four characters.
 * `GET /pagerduty[?dedupKey=…]` lists the accepted events.
 */
export function createPagerDutyEventsApp({ store }: EmulatorContext): CloudApp {
  const app = new Hono<{ Bindings: HttpBindings }>();

  app.post('/pagerduty/v2/enqueue', async (c) => {
    const body = await c.req.text();
    const check = checkPagerDutyEvent(body);
    if (check.kind === 'invalid') return c.json({ status: 'invalid event', message: 'Event object is invalid', errors: check.errors }, 400);
    const { routing_key: key, ...event } = check.event;
    const dedupKey = event.dedup_key ?? randomUUID().replace(/-/g, '');
    const kept = JSON.stringify({ routing_key: `…${key.slice(-4)}`, ...event, dedup_key: dedupKey });
    store.capturePagerDuty({
      ...toCapturedRequest(store.now(), c.req.url, c.req.header(), kept),
      action: event.event_action,
      dedupKey,
    });
    return c.json({ status: 'success', message: 'Event processed', dedup_key: dedupKey }, 202);
  });

  app.get('/pagerduty', (c) => {
    const dedupKey = c.req.query('dedupKey');
    return c.json(dedupKey === undefined ? store.data.pagerduty : store.data.pagerduty.filter((e) => e.dedupKey === dedupKey));
  });
  return app;
}
