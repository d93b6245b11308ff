import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { EmulatorContext } from '../EmulatorContext.js';
import type { CloudApp } from '../http/createHttpsListener.js';
import { authenticate } from './authenticate.js';
import { registerDeletedSecretRoutes } from './deletedSecretRoutes.js';
import { keyVaultHeaders } from './keyVaultHeaders.js';
import { registerListRoutes } from './listRoutes.js';
import { requireApiVersion } from './requireApiVersion.js';
import { registerSecretRoutes } from './secretRoutes.js';
import { sendFailure } from './sendJson.js';
import { throttle } from './throttle.js';
import { createVaultScope, type KeyVaultEnv } from './VaultScope.js';

/**
 * Emulates one vault's secrets REST API (api-versions 7.0–7.6, 2025-06-01, 2025-07-01) for the real
 * `SecretClient`: challenge authentication, RBAC, per-vault throttling, soft delete and paging.
 * Order of checks: token (401/403), throttling (429), api-version (400), then the operation.
 */
export function createKeyVaultApp(ctx: EmulatorContext, vaultName: string): CloudApp {
  const scope = createVaultScope(ctx, vaultName);
  // Non-strict: the SDK asks for the latest version as `/secrets/{name}/` and that must match `/secrets/:name`.
  const api = new Hono<KeyVaultEnv>({ strict: false });
  api.use('*', keyVaultHeaders());
  api.use('*', authenticate(scope));
  api.use('*', throttle(scope));
  api.use('*', requireApiVersion());
  registerListRoutes(api, scope);
  registerDeletedSecretRoutes(api, scope);
  registerSecretRoutes(api, scope);
  api.notFound((c) =>
    sendFailure(c, {
      status: 404,
      body: { error: { code: 'NotFound', message: `No Key Vault operation at ${c.req.method} ${c.req.path}.` } },
    }),
  );
  api.onError((error, c) => {
    console.error(`Key Vault emulator (${vaultName}) failed on ${c.req.method} ${c.req.path}:`, error);
    return sendFailure(c, {
      status: 500,
      body: { error: { code: 'InternalServerError', message: 'The local Key Vault emulator failed; see its log.' } },
    });
  });

  // The local cloud mounts every emulator in its own strict router, which would keep the trailing
  // slash; hand each request to the non-strict app whole instead of merging routes.
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.all('*', (c) => api.fetch(c.req.raw, c.env));
  return app;
}
