import type { SecretClient, SecretProperties } from '@azure/keyvault-secrets';
import { toVaultListingError } from './toVaultFailure.js';

/**
 * Every secret's properties in a vault (the list call never returns values). A listing that fails throws a
 * `VaultListingError`: the failure as a value, with a secret-free message. The token keeper's and the
 * inventory's listings both come through here.
 */
export async function* listSecretProperties(vaultUrl: string, client: SecretClient): AsyncIterable<SecretProperties> {
  try {
    yield* client.listPropertiesOfSecrets();
  } catch (error) {
    throw toVaultListingError(vaultUrl, error);
  }
}
