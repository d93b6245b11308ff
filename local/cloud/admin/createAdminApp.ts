import { Hono, type Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { z } from 'zod';
import type { EmulatorContext } from '../EmulatorContext.js';
import type { CloudApp } from '../http/createHttpsListener.js';
import * as actions from './directoryActions.js';
import { invalidateDeltaTokens } from '../graph/createGraphApp.js';

const refreshTokenInput = z.object({
  client: z.string(),
  user: z.string(),
  scopes: z.array(z.string()),
  issuedDaysAgo: z.number().optional(),
});
/** A PEM certificate (public part only; a private key in it is ignored, as the portal would refuse it). */
const certificateInput = z.object({ certificate: z.string().includes('-----BEGIN CERTIFICATE-----'), displayName: z.string().optional() });
const passwordInput = z.object({
  displayName: z.string().optional(),
  endInDays: z.number().optional(),
  startInDays: z.number().optional(),
  secretText: z.string().min(16).optional(),
});
const clockInput = z.object({ advanceDays: z.number().optional(), advanceMs: z.number().optional(), reset: z.boolean().optional() });

/**
 * The admin API tests and people use to change the world the emulators show: revoke sessions, disable a
 * user, withdraw consent, expire or add a credential, move the clock, inject faults, read the sinks.
 */
export function createAdminApp(ctx: EmulatorContext): CloudApp {
  const app = new Hono<{ Bindings: HttpBindings }>();
  const { store } = ctx;
  const body = async <T>(c: Context, schema: z.ZodType<T>): Promise<T> => schema.parse(await c.req.json().catch(() => ({})));
  app.onError((error, c) => {
    if (error instanceof actions.NotFound) return c.json({ error: error.message }, 404);
    if (error instanceof z.ZodError) return c.json({ error: 'invalid request', issues: error.issues }, 400);
    return c.json({ error: String(error) }, 500);
  });

  app.get('/admin/state', (c) =>
    c.json({
      now: store.now().toISOString(),
      tenants: store.data.tenants.map((t) => ({
        id: t.id,
        displayName: t.displayName,
        cloud: t.cloud,
        applications: t.applications.length,
        users: t.users.length,
      })),
      vaults: Object.keys(ctx.endpoints.vaults),
      captured: { mail: store.data.mail.length, teams: store.data.teams.length, webhooks: store.data.webhooks.length },
    }),
  );
  app.get('/admin/mail', (c) => c.json(store.data.mail));
  app.get('/admin/teams', (c) => c.json(store.data.teams));
  app.get('/admin/webhooks', (c) => c.json(store.data.webhooks));

  const tenantOf = (c: Context) => actions.findTenant(store, c.req.param('tenant') ?? '');
  app.post('/admin/tenants/:tenant/users/:user/revoke-sessions', (c) => {
    actions.revokeSessions(store, actions.findUser(tenantOf(c), c.req.param('user')));
    return c.json({ ok: true });
  });
  app.post('/admin/tenants/:tenant/users/:user/disable', (c) => {
    actions.findUser(tenantOf(c), c.req.param('user')).accountEnabled = false;
    store.changed();
    return c.json({ ok: true });
  });
  app.post('/admin/tenants/:tenant/users/:user/enable', (c) => {
    actions.findUser(tenantOf(c), c.req.param('user')).accountEnabled = true;
    store.changed();
    return c.json({ ok: true });
  });
  app.post('/admin/tenants/:tenant/users/:user/require-mfa', async (c) => {
    const { required } = await body(c, z.object({ required: z.boolean().default(true) }));
    actions.findUser(tenantOf(c), c.req.param('user')).requiresMfa = required;
    store.changed();
    return c.json({ ok: true });
  });
  app.post('/admin/tenants/:tenant/refresh-tokens', async (c) =>
    c.json({ refreshToken: actions.issueRefreshToken(store, tenantOf(c), await body(c, refreshTokenInput)) }),
  );
  app.post('/admin/tenants/:tenant/consent/withdraw', async (c) => {
    const input = await body(c, z.object({ client: z.string(), user: z.string() }));
    actions.withdrawConsent(store, tenantOf(c), input.client, input.user);
    return c.json({ ok: true });
  });
  app.post('/admin/tenants/:tenant/service-principals/:app/roles', async (c) => {
    const input = await body(c, z.object({ resource: z.string(), roles: z.array(z.string()) }));
    actions.setAppRoles(store, tenantOf(c), c.req.param('app'), input.resource, input.roles);
    return c.json({ ok: true });
  });
  app.post('/admin/applications/:app/password-credentials', async (c) =>
    c.json(actions.addPassword(store, c.req.param('app'), await body(c, passwordInput))),
  );
  app.post('/admin/applications/:app/key-credentials', async (c) => {
    const input = await body(c, certificateInput);
    try {
      return c.json(actions.addCertificate(store, c.req.param('app'), input));
    } catch (error) {
      if (error instanceof actions.NotFound) throw error;
      return c.json({ error: `not a certificate: ${error instanceof Error ? error.message : String(error)}` }, 400);
    }
  });
  app.post('/admin/applications/:app/credentials/:keyId/expire', (c) => {
    actions.expireCredential(store, c.req.param('app'), c.req.param('keyId'));
    return c.json({ ok: true });
  });
  app.post('/admin/applications/:app/disable', (c) => {
    const { tenant, app: application } = actions.findApplication(store, c.req.param('app'));
    application.disabled = true;
    store.touch(tenant, application);
    return c.json({ ok: true });
  });
  app.post('/admin/clock', async (c) => {
    const input = await body(c, clockInput);
    store.data.clockOffsetMs = input.reset ? 0 : store.data.clockOffsetMs + (input.advanceDays ?? 0) * 86_400_000 + (input.advanceMs ?? 0);
    store.changed();
    return c.json({ now: store.now().toISOString(), offsetMs: store.data.clockOffsetMs });
  });
  app.post('/admin/tenants/:tenant/delta/invalidate', async (c) => {
    const { as } = await body(c, z.object({ as: z.enum(['expired', 'resync']).default('expired') }));
    invalidateDeltaTokens(ctx, tenantOf(c).id, as);
    return c.json({ ok: true });
  });
  app.get('/admin/faults', (c) => c.json(ctx.faults.list()));
  app.post('/admin/faults', async (c) => c.json({ id: ctx.faults.add(await c.req.json()) }));
  app.delete('/admin/faults', (c) => {
    ctx.faults.clear();
    return c.json({ ok: true });
  });
  return app;
}
