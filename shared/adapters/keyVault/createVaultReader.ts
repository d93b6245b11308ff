import type { SecretClient } from '@azure/keyvault-secrets';
import type { VaultReader } from '../../inventory/takeInventory.js';
import { toVaultListingError } from './toVaultFailure.js';

/** Lists a vault's secrets from their properties alone: the list call never returns values. */
export function createVaultReader(vaultUrl: string, client: SecretClient): VaultReader {
  return {
    vaultUrl,
    async *listSecrets() {
      try {
        for await (const p of client.listPropertiesOfSecrets()) {
          yield { name: p.name, tags: p.tags ?? {}, enabled: p.enabled !== false, expiresOn: p.expiresOn };
        }
      } catch (error) {
        throw toVaultListingError(vaultUrl, error);
      }
    },
  };
}
