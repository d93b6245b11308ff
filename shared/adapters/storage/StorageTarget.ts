import type { TokenCredential } from '@azure/identity';

/** How Vigil reaches its storage account: a connection string (Azurite) or identity-based URLs (Azure). */
export type StorageTarget =
  | { kind: 'connectionString'; connectionString: string }
  | { kind: 'identity'; queueServiceUrl: string; tableServiceUrl: string; credential: TokenCredential };
