import type { Context, Hono } from 'hono';
import { isPage, paginate } from './paginate.js';
import { sendFailure, sendJson } from './sendJson.js';
import { toDeletedSecret, toSecretItem } from './toSecretBundle.js';
import { findLiveSecret, listSecrets } from './vaultSecrets.js';
import type { KeyVaultEnv, VaultScope } from './VaultScope.js';

/**
 * The three listings: secrets (current version, id without version), one secret's versions (ids with
 * version, oldest first) and deleted secrets. Registered before the single-secret routes so that
 * `/secrets/{name}/versions` is not read as a version id.
 */
export function registerListRoutes(app: Hono<KeyVaultEnv>, scope: VaultScope): void {
  app.get('/secrets', (c) => {
    const base = scope.baseUrl(c);
    const items = listSecrets(scope.openVault(), false).flatMap((s) => {
      const current = s.versions.at(-1);
      return current ? [toSecretItem(base, s.name, current, { withVersion: false })] : [];
    });
    return sendPage(c, items, `${base}/secrets`);
  });

  app.get('/secrets/:name/versions', (c) => {
    const base = scope.baseUrl(c);
    // A name with no live secret lists nothing rather than failing (the service answers an empty page).
    const secret = findLiveSecret(scope.openVault(), c.req.param('name'));
    const items = (secret?.versions ?? []).map((v) => toSecretItem(base, secret?.name ?? '', v, { withVersion: true }));
    return sendPage(c, items, `${base}/secrets/${encodeURIComponent(c.req.param('name'))}/versions`);
  });

  app.get('/deletedsecrets', (c) => {
    const base = scope.baseUrl(c);
    const items = listSecrets(scope.openVault(), true).map((s) => toDeletedSecret(base, s, { withVersion: false }));
    return sendPage(c, items, `${base}/deletedsecrets`);
  });
}

function sendPage<T>(c: Context<KeyVaultEnv>, items: readonly T[], listUrl: string): Response {
  const page = paginate(items, c.var.query, listUrl, c.var.apiVersion);
  return isPage(page) ? sendJson(c, 200, page) : sendFailure(c, page);
}
