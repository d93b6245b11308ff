import type { KeyVaultSecret, SecretClient } from '@azure/keyvault-secrets';
import { DateTime } from 'luxon';
import type { TokenVault, SecretVersionListing, StoredSecret } from '../../tokens/TokenPorts.js';
import type { VaultResult } from '../../vault/VaultFailure.js';
import { toVaultFailure } from './toVaultFailure.js';
import { listSecretProperties } from './listSecretProperties.js';

const toDateTime = (date: Date | undefined): DateTime | undefined => (date ? DateTime.fromJSDate(date, { zone: 'utc' }) : undefined);

function toStoredSecret(secret: KeyVaultSecret): StoredSecret {
  return {
    name: secret.name,
    value: secret.value ?? '',
    version: secret.properties.version ?? '',
    tags: secret.properties.tags ?? {},
    contentType: secret.properties.contentType,
    createdOn: toDateTime(secret.properties.createdOn),
    expiresOn: toDateTime(secret.properties.expiresOn),
  };
}

/**
 * The token keeper's view of one vault over the SDK. Failures become `VaultFailure` values (status and
 * service code only, see toVaultFailure); a value read with `maxAgeMs` may be reused until `forget`.
 */
export function createTokenVault(vaultUrl: string, client: SecretClient, nowMs: () => number = Date.now): TokenVault {
  const reused = new Map<string, { secret: StoredSecret; readAt: number }>();
  // Concurrent first reads of one reusable value (many connections, one client secret) share one request.
  const reading = new Map<string, Promise<VaultResult<StoredSecret>>>();
  const attempt = async <T>(action: () => Promise<T>): Promise<VaultResult<T>> => {
    try {
      return { ok: true, value: await action() };
    } catch (error) {
      return { ok: false, failure: toVaultFailure(error) };
    }
  };
  return {
    vaultUrl,
    async *list() {
      for await (const p of listSecretProperties(vaultUrl, client))
        yield { name: p.name, version: p.version, tags: p.tags ?? {}, enabled: p.enabled !== false, createdOn: toDateTime(p.createdOn) };
    },
    async read(name, options = {}) {
      const hit = reused.get(name);
      if (options.maxAgeMs !== undefined && hit && nowMs() - hit.readAt <= options.maxAgeMs) return { ok: true, value: hit.secret };
      const fetch = () => attempt(async () => toStoredSecret(await client.getSecret(name)));
      if (options.maxAgeMs === undefined) return fetch();
      const pending = reading.get(name) ?? fetch().finally(() => reading.delete(name));
      reading.set(name, pending);
      const result = await pending;
      if (result.ok) reused.set(name, { secret: result.value, readAt: nowMs() });
      return result;
    },
    forget(name) {
      reused.delete(name);
    },
    writeVersion: (name, value, tags, contentType) =>
      attempt(async () => {
        const written = await client.setSecret(name, value, { tags, ...(contentType ? { contentType } : {}) });
        reused.delete(name);
        return { version: written.properties.version ?? '', createdOn: toDateTime(written.properties.createdOn) };
      }),
    updateTags: (name, version, tags) =>
      attempt(async () => {
        await client.updateSecretProperties(name, version, { tags });
      }),
    listVersions: (name) =>
      attempt(async () => {
        const versions: SecretVersionListing[] = [];
        for await (const p of client.listPropertiesOfSecretVersions(name))
          versions.push({ version: p.version ?? '', enabled: p.enabled !== false, createdOn: toDateTime(p.createdOn) });
        return versions;
      }),
    disableVersion: (name, version) =>
      attempt(async () => {
        await client.updateSecretProperties(name, version, { enabled: false });
        reused.delete(name);
      }),
  };
}
