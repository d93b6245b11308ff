import type { Context, Hono } from 'hono';
import type { SecretVersionRecord } from '../state/model.js';
import { deletedButRecoverable, invalidName, secretDisabled, secretNotFound, type KeyVaultFailure } from './keyVaultErrors.js';
import { createSecretVersion } from './secretVersions.js';
import {
  readSecretBody,
  setSecretBodySchema,
  updateSecretBodySchema,
  type SetSecretBody,
  type UpdateSecretBody,
} from './readSecretBody.js';
import { sendFailure, sendJson } from './sendJson.js';
import { toDeletedSecret, toSecretBundle } from './toSecretBundle.js';
import { findLiveSecret, findSecret, findVersion, isDeleted, secretNamePattern } from './vaultSecrets.js';
import type { KeyVaultEnv, VaultScope } from './VaultScope.js';

type KeyVaultContext = Context<KeyVaultEnv>;

/** Set, get, update and (soft) delete of one secret: the live half of the secrets API. */
export function registerSecretRoutes(app: Hono<KeyVaultEnv>, scope: VaultScope): void {
  const { store } = scope.ctx;

  app.put('/secrets/:name', async (c) => {
    const name = c.req.param('name');
    if (!secretNamePattern.test(name)) return sendFailure(c, invalidName(name));
    const body = await readSecretBody(c, setSecretBodySchema);
    if (!body.ok) return sendFailure(c, body.failure);
    const vault = scope.openVault();
    const existing = findSecret(vault, name);
    if (existing && isDeleted(existing)) return sendFailure(c, deletedButRecoverable(existing.name));
    const version = createSecretVersion(store.nowSeconds(), toVersionInput(body.value));
    if (existing) existing.versions.push(version);
    else vault.secrets[name] = { name, versions: [version] };
    store.changed();
    return sendJson(c, 200, toSecretBundle(scope.baseUrl(c), existing?.name ?? name, version, { withValue: true }));
  });

  app.get('/secrets/:name/:version?', (c) => {
    const found = findRequestedVersion(c, scope);
    if ('failure' in found) return sendFailure(c, found.failure);
    if (!found.version.attributes.enabled) return sendFailure(c, secretDisabled());
    return sendJson(
      c,
      200,
      toSecretBundle(scope.baseUrl(c), found.name, found.version, { withValue: true, sinksUrl: scope.ctx.endpoints.sinks }),
    );
  });

  app.patch('/secrets/:name/:version?', async (c) => {
    const found = findRequestedVersion(c, scope);
    if ('failure' in found) return sendFailure(c, found.failure);
    const body = await readSecretBody(c, updateSecretBodySchema);
    if (!body.ok) return sendFailure(c, body.failure);
    applyUpdate(found.version, body.value, store.nowSeconds());
    store.changed();
    return sendJson(c, 200, toSecretBundle(scope.baseUrl(c), found.name, found.version, { withValue: false }));
  });

  app.delete('/secrets/:name', (c) => {
    const name = c.req.param('name');
    if (!secretNamePattern.test(name)) return sendFailure(c, invalidName(name));
    const secret = findLiveSecret(scope.openVault(), name);
    if (!secret) return sendFailure(c, secretNotFound(name));
    const now = store.nowSeconds();
    const retentionDays = secret.versions.at(-1)?.attributes.recoverableDays ?? 90;
    secret.deletedDate = now;
    secret.scheduledPurgeDate = now + retentionDays * 86_400;
    store.changed();
    return sendJson(c, 200, toDeletedSecret(scope.baseUrl(c), secret, { withVersion: true }));
  });
}

/** The version a GET or PATCH names (the current one for an empty version segment), or the 400/404 to send. */
function findRequestedVersion(
  c: KeyVaultContext,
  scope: VaultScope,
): { name: string; version: SecretVersionRecord } | { failure: KeyVaultFailure } {
  const name = c.req.param('name') ?? '';
  const versionId = c.req.param('version') || undefined;
  if (!secretNamePattern.test(name)) return { failure: invalidName(name) };
  const secret = findLiveSecret(scope.openVault(), name);
  const version = secret && findVersion(secret, versionId);
  if (!secret || !version) return { failure: secretNotFound(name, versionId) };
  return { name: secret.name, version };
}

function toVersionInput(body: SetSecretBody): Parameters<typeof createSecretVersion>[1] {
  const a = body.attributes;
  return {
    value: body.value,
    tags: body.tags ?? {},
    contentType: body.contentType ?? null,
    ...(a?.enabled != null ? { enabled: a.enabled } : {}),
    ...(a?.nbf != null ? { nbf: a.nbf } : {}),
    ...(a?.exp != null ? { exp: a.exp } : {}),
  };
}

/** Only what the request names changes; `null` clears `contentType`, `nbf` and `exp`. */
function applyUpdate(version: SecretVersionRecord, body: UpdateSecretBody, nowSeconds: number): void {
  if (body.contentType !== undefined) version.contentType = body.contentType;
  if (body.tags !== undefined) version.tags = body.tags ?? {};
  const a = body.attributes;
  const attributes = version.attributes;
  if (a?.enabled != null) attributes.enabled = a.enabled;
  if (a?.nbf !== undefined) {
    if (a.nbf === null) delete attributes.nbf;
    else attributes.nbf = a.nbf;
  }
  if (a?.exp !== undefined) {
    if (a.exp === null) delete attributes.exp;
    else attributes.exp = a.exp;
  }
  attributes.updated = nowSeconds;
}
