import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { EmulatorContext } from '../local/cloud/EmulatorContext.js';
import { createHttpsListener, type Listener } from '../local/cloud/http/createHttpsListener.js';
import { injectLatency } from '../local/cloud/http/latency.js';
import { authenticate } from '../local/cloud/keyvault/authenticate.js';
import { keyVaultHeaders } from '../local/cloud/keyvault/keyVaultHeaders.js';
import { registerListRoutes } from '../local/cloud/keyvault/listRoutes.js';
import { requireApiVersion } from '../local/cloud/keyvault/requireApiVersion.js';
import { registerSecretRoutes } from '../local/cloud/keyvault/secretRoutes.js';
import { sendFailure } from '../local/cloud/keyvault/sendJson.js';
import { throttle } from '../local/cloud/keyvault/throttle.js';
import { createVaultScope, type KeyVaultEnv } from '../local/cloud/keyvault/VaultScope.js';
import { ensureCertificates } from '../local/cloud/tls/ensureCertificates.js';
import { certificatesDir } from '../local/paths.js';

/**
 * A second listener for one emulated vault, built from the Key Vault emulator's own middleware and
 * routes (same latency, authentication, throttling with Azure's limits, counters and faults), with one change:
 * the emulator's `openVault` sweeps every secret for expired deletions (once per emulated second since
 * that sweep was bounded; before, on each request, about 0.8 µs per secret), work a 10,000-secret vault
 * would make the emulator's. The bench never deletes a secret, so there is nothing to purge and the
 * sweep is skipped.
 */
export async function startLeanVaultListener(ctx: EmulatorContext, vaultName: string): Promise<Listener> {
  let url = '';
  const scope = { ...createVaultScope(ctx, vaultName), baseUrl: () => url };
  const lean = { ...scope, openVault: scope.vault };
  const api = new Hono<KeyVaultEnv>({ strict: false });
  api.use('*', keyVaultHeaders());
  api.use('*', authenticate(lean));
  api.use('*', throttle(lean));
  api.use('*', requireApiVersion());
  registerListRoutes(api, lean);
  registerSecretRoutes(api, lean);
  api.notFound((c) =>
    sendFailure(c, {
      status: 404,
      body: { error: { code: 'NotFound', message: `No Key Vault operation at ${c.req.method} ${c.req.path}.` } },
    }),
  );
  const root = new Hono<{ Bindings: HttpBindings }>();
  root.use(
    '*',
    injectLatency('keyvault', () => ctx.behaviour.latencyMs),
  );
  root.use('*', ctx.faults.middleware('keyvault'));
  root.all('*', (c) => api.fetch(c.req.raw, c.env));
  const listener = await createHttpsListener(root, await ensureCertificates(certificatesDir), 0);
  url = listener.url;
  return listener;
}
