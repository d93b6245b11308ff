import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { EmulatorContext } from '../EmulatorContext.js';
import type { CloudApp } from '../http/createHttpsListener.js';
import type { CloudName } from '../state/model.js';
import { dispatchGraphRequest, type GraphHost } from './dispatchGraphRequest.js';
import { GraphThrottle } from './graphThrottle.js';

export { invalidateDeltaTokens, type DeltaInvalidation } from './deltaTokenState.js';
export { graphStats, resetGraphStats, type GraphStats } from './graphStats.js';

/**
 * Emulates the Microsoft Graph v1.0 subset Vigil uses, for one cloud: applications and service principals
 * (list, get, delta, owners, addPassword, removePassword), users/{id}/sendMail and `$batch`, with Graph's
 * authentication, permissions, identity throttling and error bodies. The routing is framework-free
 * (`dispatchGraphRequest`) so that `$batch` items go through exactly the same pipeline.
 */
export function createGraphApp(ctx: EmulatorContext, cloud: CloudName): CloudApp {
  const app = new Hono<{ Bindings: HttpBindings }>();
  const host: GraphHost = { ctx, cloud, throttle: new GraphThrottle(() => ctx.limits.graph) };
  app.all('*', (c) => dispatchGraphRequest(host, c.req.raw));
  return app;
}
