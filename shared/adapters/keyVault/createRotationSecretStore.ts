import type { SecretClient } from '@azure/keyvault-secrets';
import type { CallFailure, SecretStore } from '../../rotation/collaborators.js';
import { describeAzureError } from '../azure/describeAzureError.js';
import { isTransientStatus, statusOf } from '../azure/isTransientStatus.js';

/**
 * Versions of Key Vault secrets for rotation. Values cross this adapter only into `read`'s result and out
 * of `write`; `latest` drops the value the SDK's get returns at once (there is no get without it).
 */
export function createRotationSecretStore(clientFor: (vaultUrl: string) => SecretClient): SecretStore {
  const failure = (what: string, error: unknown): CallFailure => ({
    kind: 'failed',
    reason: `Key Vault ${what}: ${describeAzureError(error)}`,
    transient: isTransientStatus(statusOf(error)),
  });
  return {
    async latest(vaultUrl, name) {
      try {
        const { value: _value, ...secret } = await clientFor(vaultUrl).getSecret(name);
        return {
          kind: 'found',
          secret: {
            version: secret.properties.version ?? '',
            tags: secret.properties.tags ?? {},
            enabled: secret.properties.enabled !== false,
          },
        };
      } catch (error) {
        return statusOf(error) === 404 ? { kind: 'notFound' } : failure(`read ${name}`, error);
      }
    },
    async read(vaultUrl, name, version) {
      try {
        const secret = await clientFor(vaultUrl).getSecret(name, { version });
        return { kind: 'found', value: secret.value ?? '', tags: secret.properties.tags ?? {} };
      } catch (error) {
        return statusOf(error) === 404 ? { kind: 'notFound' } : failure(`read ${name}/${version}`, error);
      }
    },
    async write(vaultUrl, name, value, options) {
      try {
        const written = await clientFor(vaultUrl).setSecret(name, value, {
          tags: options.tags,
          ...(options.expiresOn ? { expiresOn: options.expiresOn } : {}),
        });
        return { kind: 'written', version: written.properties.version ?? '' };
      } catch (error) {
        return failure(`write ${name}`, error);
      }
    },
    async disable(vaultUrl, name, version) {
      try {
        await clientFor(vaultUrl).updateSecretProperties(name, version, { enabled: false });
        return { kind: 'disabled' };
      } catch (error) {
        return failure(`disable ${name}/${version}`, error);
      }
    },
  };
}
