import type { Context, Hono } from 'hono';
import type { SecretRecord, SecretVersionRecord } from '../state/model.js';
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
    // listSecrets keeps only secrets with versions, so each has a current one.
    const render = (s: SecretRecord) => toSecretItem(base, s.name, s.versions.at(-1)!, { withVersion: false });
    return sendPage(c, listSecrets(scope.openVault(), false), render, `${base}/secrets`);
  });

  app.get('/secrets/:name/versions', (c) => {
    const base = scope.baseUrl(c);
    // A name with no live secret lists nothing rather than failing (the service answers an empty page).
    const secret = findLiveSecret(scope.openVault(), c.req.param('name'));
    const render = (v: SecretVersionRecord) => toSecretItem(base, secret?.name ?? '', v, { withVersion: true });
    return sendPage(c, secret?.versions ?? [], render, `${base}/secrets/${encodeURIComponent(c.req.param('name'))}/versions`);
  });

  app.get('/deletedsecrets', (c) => {
    const base = scope.baseUrl(c);
    const render = (s: SecretRecord) => toDeletedSecret(base, s, { withVersion: false });
    return sendPage(c, listSecrets(scope.openVault(), true), render, `${base}/deletedsecrets`);
  });
}

function sendPage<R, T>(c: Context<KeyVaultEnv>, records: readonly R[], render: (record: R) => T, listUrl: string): Response {
  const page = paginate(records, render, c.var.query, listUrl, c.var.apiVersion);
  return isPage(page) ? sendJson(c, 200, page) : sendFailure(c, page);
}
