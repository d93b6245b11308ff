import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { EmulatorContext } from '../EmulatorContext.js';
import type { CloudApp } from '../http/createHttpsListener.js';

/** Emulates one vault's secrets API. (Placeholder: being built.) */
export function createKeyVaultApp(_ctx: EmulatorContext, _vaultName: string): CloudApp {
  return new Hono<{ Bindings: HttpBindings }>();
}
