import type { SecretClient } from '@azure/keyvault-secrets';
import type { VaultReader } from '../../inventory/InventoryPorts.js';
import { listSecretProperties } from './listSecretProperties.js';

/** Lists a vault's secrets from their properties alone: the list call never returns values. */
export function createVaultReader(vaultUrl: string, client: SecretClient): VaultReader {
  return {
    vaultUrl,
    async *listSecrets() {
      for await (const p of listSecretProperties(vaultUrl, client))
        yield { name: p.name, tags: p.tags ?? {}, enabled: p.enabled !== false, expiresOn: p.expiresOn };
    },
  };
}
