import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { EmulatorContext } from '../EmulatorContext.js';
import type { CloudApp } from '../http/createHttpsListener.js';
import type { CloudName } from '../state/model.js';

/** Emulates the Microsoft Graph v1.0 subset Vigil uses, for one cloud. (Placeholder: being built.) */
export function createGraphApp(_ctx: EmulatorContext, _cloud: CloudName): CloudApp {
  return new Hono<{ Bindings: HttpBindings }>();
}
