import type { SecretClient } from '@azure/keyvault-secrets';
import type { CallFailure, RotationVault } from '../../rotation/collaborators.js';
import { describeVaultFailure, isTransientVaultFailure, type VaultFailure } from '../../vault/VaultFailure.js';
import { toVaultFailure } from './toVaultFailure.js';

/**
 * Versions of Key Vault secrets for rotation. Values cross this adapter only into `read`'s result and out
 * of `write`; `latest` drops the value the SDK's get returns at once (there is no get without it).
 * Failures are read by `toVaultFailure`, like every Key Vault port's, then told as the rotation's `CallFailure`.
 */
export function createRotationVault(clientFor: (vaultUrl: string) => SecretClient): RotationVault {
  const failed = (what: string, failure: VaultFailure): CallFailure => ({
    kind: 'failed',
    reason: `Key Vault ${what}: ${describeVaultFailure(failure)}`,
    transient: isTransientVaultFailure(failure),
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
        const failure = toVaultFailure(error);
        return failure.kind === 'notFound' ? { kind: 'notFound' } : failed(`read ${name}`, failure);
      }
    },
    async read(vaultUrl, name, version) {
      try {
        const secret = await clientFor(vaultUrl).getSecret(name, { version });
        return { kind: 'found', value: secret.value ?? '', tags: secret.properties.tags ?? {} };
      } catch (error) {
        const failure = toVaultFailure(error);
        return failure.kind === 'notFound' ? { kind: 'notFound' } : failed(`read ${name}/${version}`, failure);
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
        return failed(`write ${name}`, toVaultFailure(error));
      }
    },
    async disable(vaultUrl, name, version) {
      try {
        await clientFor(vaultUrl).updateSecretProperties(name, version, { enabled: false });
        return { kind: 'disabled' };
      } catch (error) {
        return failed(`disable ${name}/${version}`, toVaultFailure(error));
      }
    },
  };
}
