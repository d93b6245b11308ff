import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { EmulatorContext } from '../EmulatorContext.js';
import type { CloudApp } from '../http/createHttpsListener.js';

export function createAdminApp(_ctx: EmulatorContext): CloudApp {
  return new Hono<{ Bindings: HttpBindings }>();
}
