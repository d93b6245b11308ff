import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { EmulatorContext } from '../EmulatorContext.js';
import type { CloudApp } from '../http/createHttpsListener.js';
import { createTeamsWorkflowApp } from './createTeamsWorkflowApp.js';
import { createWebhookReceiverApp } from './createWebhookReceiverApp.js';

/**
 * The sinks host: where Vigil's notifications land. `/teams/…` stands in for a Teams Workflows webhook
 * URL and `/webhooks/…` for a customer's Standard Webhooks endpoint; both record what they accept in
 * the store, readable with `GET /teams` and `GET /webhooks`.
 */
export function createSinksApp(ctx: EmulatorContext): CloudApp {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.route('/', createTeamsWorkflowApp(ctx));
  app.route('/', createWebhookReceiverApp(ctx));
  return app;
}
