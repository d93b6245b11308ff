import { checked, unchecked, type CheckOutcome } from '../core/CheckOutcome.js';
import type { VaultReader } from '../inventory/takeInventory.js';
import type { VaultIndexEntry } from './ScanPorts.js';
import { toVaultIndexEntry } from './vaultCopyTags.js';

export interface VaultIndexWriter {
  replaceVault(vaultUrl: string, entries: readonly VaultIndexEntry[]): Promise<void>;
}

/**
 * Indexes the watched vaults' secrets (names, tags, expiry) for the tenant scans. A vault that cannot be
 * read keeps its last index, so its copies and expiring secrets are neither lost nor reported closed.
 */
export async function refreshVaultIndex(
  vaults: readonly VaultReader[],
  index: VaultIndexWriter,
  homeTenantId: string,
): Promise<Array<{ vaultUrl: string; outcome: CheckOutcome<{ secrets: number }> }>> {
  return Promise.all(
    vaults.map(async (vault) => {
      const entries: VaultIndexEntry[] = [];
      try {
        for await (const secret of vault.listSecrets()) entries.push(toVaultIndexEntry(vault.vaultUrl, secret, homeTenantId));
      } catch (error) {
        return { vaultUrl: vault.vaultUrl, outcome: unchecked(error instanceof Error ? error.message.split('\n')[0]! : 'unknown error') };
      }
      await index.replaceVault(vault.vaultUrl, entries);
      return { vaultUrl: vault.vaultUrl, outcome: checked({ secrets: entries.length }) };
    }),
  );
}
