import { vaultTagNames } from '../vault/vaultTagNames.js';
import type { VaultSecretSummary } from '../inventory/InventoryPorts.js';
import type { ConnectionUse, VaultIndexEntry } from './ScanPorts.js';

/**
 * Tags that link a Key Vault secret to the Entra credential it holds a copy of: `vigil-app-id=<appId>`,
 * `vigil-key-id=<keyId>`, and `vigil-tenant-id` when the app lives in another tenant than Vigil's.
 * Rotation writes the same tags on every version it stores (shared/rotation/vaultTags.ts).
 */
export const vaultCopyTags = { appId: vaultTagNames.appId, keyId: vaultTagNames.keyId, tenantId: vaultTagNames.tenantId } as const;

/**
 * A watched vault's secret as the scanner indexes it, attributed to the tenant its tags name (else Vigil's
 * own), with the token connections of the same vault that sign in with it.
 */
export function toVaultIndexEntry(
  vaultUrl: string,
  secret: VaultSecretSummary,
  homeTenantId: string,
  usedBy: ConnectionUse[] = [],
): VaultIndexEntry {
  const appId = secret.tags[vaultCopyTags.appId];
  const keyId = secret.tags[vaultCopyTags.keyId];
  return {
    tenantId: (secret.tags[vaultCopyTags.tenantId] ?? homeTenantId).toLowerCase(),
    vaultUrl,
    secretName: secret.name,
    enabled: secret.enabled,
    expiresOn: secret.expiresOn ? secret.expiresOn.toISOString() : null,
    copyOf: appId && keyId ? { appId: appId.toLowerCase(), keyId: keyId.toLowerCase() } : null,
    usedBy,
  };
}
