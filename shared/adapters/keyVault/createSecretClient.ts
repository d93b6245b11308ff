import type { TokenCredential } from '@azure/identity';
import { SecretClient, type SecretClientOptions } from '@azure/keyvault-secrets';
import { cloudEndpoints } from '../../cloud/cloudEndpoints.js';

/**
 * A SecretClient for one vault. The challenge-resource check is kept for real vault hosts and relaxed only
 * for hosts that are no Key Vault domain (the local cloud), where it could never pass.
 */
export function createSecretClient(
  vaultUrl: string,
  credential: TokenCredential,
  options: Pick<SecretClientOptions, 'retryOptions' | 'additionalPolicies'> = {},
): SecretClient {
  const host = new URL(vaultUrl).hostname;
  const isRealVault = Object.values(cloudEndpoints).some((c) => host.endsWith(c.keyVaultDnsSuffix));
  return new SecretClient(vaultUrl, credential, { ...options, disableChallengeResourceVerification: !isRealVault });
}
