import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { EmulatorContext } from '../EmulatorContext.js';
import type { CloudApp } from '../http/createHttpsListener.js';
import { createTeamsWorkflowApp } from './createTeamsWorkflowApp.js';
import { createWebhookReceiverApp } from './createWebhookReceiverApp.js';
import { createSlackWebhookApp } from './createSlackWebhookApp.js';
import { createPagerDutyEventsApp } from './createPagerDutyEventsApp.js';

/**
 * The sinks host: where Vigil's notifications land. `/teams/…` stands in for a Teams Workflows webhook
 * URL, `/slack/services/…` for a Slack incoming webhook, `/pagerduty/v2/enqueue` for PagerDuty's Events
 * API v2 and `/webhooks/…` for a customer's Standard Webhooks endpoint; each records what it accepts in
 * the store, readable with `GET /teams`, `/slack`, `/pagerduty` and `/webhooks`.
 */
export function createSinksApp(ctx: EmulatorContext): CloudApp {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.route('/', createTeamsWorkflowApp(ctx));
  app.route('/', createSlackWebhookApp(ctx));
  app.route('/', createPagerDutyEventsApp(ctx));
  app.route('/', createWebhookReceiverApp(ctx));
  return app;
}
