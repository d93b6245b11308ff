import type { EmulatorContext } from '../EmulatorContext.js';
import type { AdminApp } from './createAdminApp.js';

/** What the local cloud holds and what its sinks captured: `GET /admin/state`, `/admin/mail`, `/admin/teams`, `/admin/slack`, `/admin/pagerduty`, `/admin/webhooks`. */
export function registerCaptureRoutes(app: AdminApp, ctx: EmulatorContext): void {
  const { store } = ctx;
  app.get('/admin/state', (c) =>
    c.json({
      now: store.now().toISOString(),
      tenants: store.directory.tenants().map(({ record: t }) => ({
        id: t.id,
        displayName: t.displayName,
        cloud: t.cloud,
        applications: t.applications.length,
        servicePrincipals: t.servicePrincipals.length,
        users: t.users.length,
      })),
      vaults: Object.keys(ctx.endpoints.vaults),
      captured: {
        mail: store.data.mail.length,
        teams: store.data.teams.length,
        slack: store.data.slack.length,
        pagerduty: store.data.pagerduty.length,
        webhooks: store.data.webhooks.length,
      },
    }),
  );
  app.get('/admin/mail', (c) => c.json(store.data.mail));
  app.get('/admin/teams', (c) => c.json(store.data.teams));
  app.get('/admin/slack', (c) => c.json(store.data.slack));
  app.get('/admin/pagerduty', (c) => c.json(store.data.pagerduty));
  app.get('/admin/webhooks', (c) => c.json(store.data.webhooks));
}
