import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { z } from 'zod';
import type { EmulatorContext } from '../EmulatorContext.js';
import type { CloudApp } from '../http/createHttpsListener.js';
import { NotFound } from './adminRefs.js';
import { registerApplicationRoutes } from './applicationRoutes.js';
import { registerCaptureRoutes } from './captureRoutes.js';
import { registerCloudRoutes } from './cloudRoutes.js';
import { registerIdentityRoutes } from './identityRoutes.js';

export type AdminApp = Hono<{ Bindings: HttpBindings }>;

/**
 * The admin API tests and people use to change the world the emulators show: revoke sessions, disable a
 * user, withdraw consent, expire or add a credential, move the clock, inject faults, read the sinks.
 * Every change goes through the directory's operations, as the emulators' own do.
 */
export function createAdminApp(ctx: EmulatorContext): CloudApp {
  const app: AdminApp = new Hono<{ Bindings: HttpBindings }>();
  app.onError((error, c) => {
    if (error instanceof NotFound) return c.json({ error: error.message }, 404);
    if (error instanceof z.ZodError) return c.json({ error: 'invalid request', issues: error.issues }, 400);
    return c.json({ error: String(error) }, 500);
  });
  registerCaptureRoutes(app, ctx);
  registerIdentityRoutes(app, ctx);
  registerApplicationRoutes(app, ctx);
  registerCloudRoutes(app, ctx);
  return app;
}
