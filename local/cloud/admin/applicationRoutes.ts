import { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import type { EmulatorContext } from '../EmulatorContext.js';
import { certificateKeyFields, newGuid } from '../state/credentials.js';
import { findApplication, findTenant, NotFound, readBody } from './adminRefs.js';
import type { AdminApp } from './createAdminApp.js';

/** A PEM certificate (public part only; a private key in it is ignored, as the portal would refuse it). */
const certificateInput = z.object({ certificate: z.string().includes('-----BEGIN CERTIFICATE-----'), displayName: z.string().optional() });
const signInInput = z.object({ keyId: z.string(), daysAgo: z.number().min(0).optional(), resource: z.string().optional() });
const passwordInput = z.object({
  displayName: z.string().optional(),
  endInDays: z.number().optional(),
  startInDays: z.number().optional(),
  secretText: z.string().min(16).optional(),
});

/** What happens to app registrations: add a secret or certificate, expire a credential, disable the app, grant app roles. */
export function registerApplicationRoutes(app: AdminApp, { store }: EmulatorContext): void {
  const { directory } = store;
  const days = (n: number) => new Date(store.now().getTime() + n * 86_400_000);

  app.post('/admin/applications/:app/password-credentials', async (c) => {
    const input = await readBody(c, passwordInput);
    const { tenant, app: application } = findApplication(store, c.req.param('app'));
    const { record, secretText } = directory.addPassword(tenant, application, {
      displayName: input.displayName ?? null,
      start: days(input.startInDays ?? 0),
      end: days(input.endInDays ?? 180),
      ...(input.secretText ? { secretText: input.secretText } : {}),
    });
    return c.json({ keyId: record.keyId, secretText, endDateTime: record.endDateTime });
  });

  /** Uploads a certificate's public part (certificateKeyFields). */
  app.post('/admin/applications/:app/key-credentials', async (c) => {
    const input = await readBody(c, certificateInput);
    const { tenant, app: application } = findApplication(store, c.req.param('app'));
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(input.certificate);
    } catch (error) {
      return c.json({ error: `not a certificate: ${error instanceof Error ? error.message : String(error)}` }, 400);
    }
    const key = {
      keyId: newGuid(),
      displayName: input.displayName ?? certificate.subject.replace(/\n/g, ', '),
      type: 'AsymmetricX509Cert' as const,
      usage: 'Verify' as const,
      ...certificateKeyFields(certificate),
    };
    directory.addKey(tenant, application, key);
    return c.json({ keyId: key.keyId, endDateTime: key.endDateTime });
  });

  app.post('/admin/applications/:app/credentials/:keyId/expire', (c) => {
    const { tenant, app: application } = findApplication(store, c.req.param('app'));
    if (!directory.expireCredential(tenant, application, c.req.param('keyId')))
      throw new NotFound(`no credential ${c.req.param('keyId')} on ${c.req.param('app')}`);
    return c.json({ ok: true });
  });

  /**
   * "App X signed in with key Y at T": a sign-in Entra's usage report then shows (`daysAgo`, default now;
   * `resource`: the resource's app id, Microsoft Graph by default).
   */
  app.post('/admin/applications/:app/sign-ins', async (c) => {
    const input = await readBody(c, signInInput);
    const { tenant, app: application } = findApplication(store, c.req.param('app'));
    const secret = application.passwordCredentials.find((k) => k.keyId.toLowerCase() === input.keyId.toLowerCase());
    const key = secret ?? application.keyCredentials.find((k) => k.keyId.toLowerCase() === input.keyId.toLowerCase());
    if (!key) throw new NotFound(`no credential ${input.keyId} on ${c.req.param('app')}`);
    const at = days(-(input.daysAgo ?? 0)).toISOString();
    directory.recordCredentialUse(tenant, {
      keyId: key.keyId,
      keyType: secret ? 'clientSecret' : 'certificate',
      appId: application.appId,
      appObjectId: application.id,
      servicePrincipalObjectId: tenant.servicePrincipalOf(application.appId)?.id ?? null,
      resourceId: input.resource ?? '00000003-0000-0000-c000-000000000000',
      credentialOrigin: 'application',
      createdDateTime: key.startDateTime,
      expirationDateTime: key.endDateTime,
      lastSignInDateTime: at,
    });
    return c.json({ keyId: key.keyId, lastSignInDateTime: at });
  });

  app.post('/admin/applications/:app/disable', (c) => {
    const { tenant, app: application } = findApplication(store, c.req.param('app'));
    directory.setApplicationDisabled(tenant, application, true);
    return c.json({ ok: true });
  });

  app.post('/admin/tenants/:tenant/service-principals/:app/roles', async (c) => {
    const input = await readBody(c, z.object({ resource: z.string(), roles: z.array(z.string()) }));
    const tenant = findTenant(store, c.req.param('tenant'));
    const sp = tenant.servicePrincipalOf(findApplication(store, c.req.param('app')).app.appId);
    if (!sp) throw new NotFound(`no service principal for ${c.req.param('app')} in ${tenant.id}`);
    directory.setAppRoles(sp, input.resource, input.roles);
    return c.json({ ok: true });
  });
}
