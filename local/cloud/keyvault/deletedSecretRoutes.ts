import type { Hono } from 'hono';
import { deletedSecretNotFound, invalidName } from './keyVaultErrors.js';
import { sendFailure, sendJson } from './sendJson.js';
import { toDeletedSecret, toSecretBundle } from './toSecretBundle.js';
import { findDeletedSecret, findSecretKey, secretNamePattern } from './vaultSecrets.js';
import type { KeyVaultEnv, VaultScope } from './VaultScope.js';
import { emptyAnswer } from '../http/emptyAnswer.js';

/** Soft-delete recovery: read a deleted secret, recover it (all versions come back) or purge it for good. */
export function registerDeletedSecretRoutes(app: Hono<KeyVaultEnv>, scope: VaultScope): void {
  const { store } = scope.ctx;

  app.get('/deletedsecrets/:name', (c) => {
    const name = c.req.param('name');
    if (!secretNamePattern.test(name)) return sendFailure(c, invalidName(name));
    const secret = findDeletedSecret(scope.openVault(), name);
    if (!secret) return sendFailure(c, deletedSecretNotFound(name));
    return sendJson(c, 200, toDeletedSecret(scope.baseUrl(c), secret, { withVersion: true }));
  });

  app.post('/deletedsecrets/:name/recover', (c) => {
    const name = c.req.param('name');
    if (!secretNamePattern.test(name)) return sendFailure(c, invalidName(name));
    const secret = findDeletedSecret(scope.openVault(), name);
    const current = secret?.versions.at(-1);
    if (!secret || !current) return sendFailure(c, deletedSecretNotFound(name));
    delete secret.deletedDate;
    delete secret.scheduledPurgeDate;
    store.changed();
    return sendJson(c, 200, toSecretBundle(scope.baseUrl(c), secret.name, current, { withValue: false }));
  });

  app.delete('/deletedsecrets/:name', (c) => {
    const name = c.req.param('name');
    if (!secretNamePattern.test(name)) return sendFailure(c, invalidName(name));
    const vault = scope.openVault();
    const secret = findDeletedSecret(vault, name);
    const key = secret && findSecretKey(vault, name);
    if (key === undefined) return sendFailure(c, deletedSecretNotFound(name));
    delete vault.secrets[key];
    store.changed();
    return emptyAnswer(204);
  });
}
