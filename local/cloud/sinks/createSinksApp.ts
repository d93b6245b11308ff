import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { EmulatorContext } from '../EmulatorContext.js';
import type { CloudApp } from '../http/createHttpsListener.js';

/** Teams Workflows webhook and Standard Webhooks receivers. (Placeholder: being built.) */
export function createSinksApp(_ctx: EmulatorContext): CloudApp {
  return new Hono<{ Bindings: HttpBindings }>();
}
