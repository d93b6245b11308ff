import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { EmulatorContext } from '../EmulatorContext.js';
import type { CloudApp } from '../http/createHttpsListener.js';
import type { CloudName } from '../state/model.js';

export function createEntraApp(_ctx: EmulatorContext, _cloud: CloudName): CloudApp {
  return new Hono<{ Bindings: HttpBindings }>();
}
