import { z } from 'zod';
import type { EmulatorContext } from '../EmulatorContext.js';
import { findApplication, findTenant, findUser, readBody } from './adminRefs.js';
import type { AdminApp } from './createAdminApp.js';

const refreshTokenInput = z.object({
  client: z.string(),
  user: z.string(),
  scopes: z.array(z.string()),
  issuedDaysAgo: z.number().optional(),
});

/** What happens to people and their sign-ins: revoke sessions, disable, demand MFA, issue a refresh token, withdraw consent. */
export function registerIdentityRoutes(app: AdminApp, { store }: EmulatorContext): void {
  const { directory } = store;
  const userOf = (tenant: string, user: string) => findUser(findTenant(store, tenant), user);
  app.post('/admin/tenants/:tenant/users/:user/revoke-sessions', (c) => {
    directory.revokeSessions(userOf(c.req.param('tenant'), c.req.param('user')));
    return c.json({ ok: true });
  });
  app.post('/admin/tenants/:tenant/users/:user/disable', (c) => {
    directory.updateUser(userOf(c.req.param('tenant'), c.req.param('user')), { accountEnabled: false });
    return c.json({ ok: true });
  });
  app.post('/admin/tenants/:tenant/users/:user/enable', (c) => {
    directory.updateUser(userOf(c.req.param('tenant'), c.req.param('user')), { accountEnabled: true });
    return c.json({ ok: true });
  });
  app.post('/admin/tenants/:tenant/users/:user/require-mfa', async (c) => {
    const { required } = await readBody(c, z.object({ required: z.boolean().default(true) }));
    directory.updateUser(userOf(c.req.param('tenant'), c.req.param('user')), { requiresMfa: required });
    return c.json({ ok: true });
  });
  /** A refresh token as if the user had just signed in to the client (consenting to its scopes if not yet). */
  app.post('/admin/tenants/:tenant/refresh-tokens', async (c) => {
    const input = await readBody(c, refreshTokenInput);
    const tenant = findTenant(store, c.req.param('tenant'));
    const clientAppId = findApplication(store, input.client).app.appId;
    const userId = findUser(tenant, input.user).id;
    if (!tenant.grant(clientAppId, userId)) directory.grantConsent(tenant, clientAppId, userId, input.scopes);
    const issuedAt = new Date(store.now().getTime() - (input.issuedDaysAgo ?? 0) * 86_400_000);
    return c.json({ refreshToken: directory.issueRefreshToken(tenant, { clientAppId, userId, scopes: input.scopes, issuedAt }) });
  });
  app.post('/admin/tenants/:tenant/consent/withdraw', async (c) => {
    const input = await readBody(c, z.object({ client: z.string(), user: z.string() }));
    const tenant = findTenant(store, c.req.param('tenant'));
    directory.withdrawConsent(tenant, findApplication(store, input.client).app.appId, findUser(tenant, input.user).id);
    return c.json({ ok: true });
  });
}
