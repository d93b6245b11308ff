import type { DateTime } from 'luxon';
import { checked } from '../helpers/CheckOutcome.js';
import type { VaultReader, VaultSecretSummary, VaultHealthRecorder } from '../inventory/InventoryPorts.js';
import { failedVaultCheck, type VaultCheck } from '../inventory/VaultHealth.js';
import type { VaultIndexEntry, VaultIndexWriter } from './ScanPorts.js';
import { connectionUses } from './connectionUses.js';
import { toVaultIndexEntry } from './vaultCopyTags.js';

/**
 * Indexes the watched vaults' secrets (names, tags, expiry) for the tenant scans. A vault that cannot be
 * read keeps its last index, so its copies and expiring secrets are neither lost nor reported closed,
 * and the listing is recorded in the vault's health like the refresh planner's.
 */
export async function refreshVaultIndex(
  vaults: readonly VaultReader[],
  index: VaultIndexWriter,
  homeTenantId: string,
  health: VaultHealthRecorder,
  now: DateTime,
): Promise<VaultCheck[]> {
  const checks = await Promise.all(
    vaults.map(async (vault): Promise<VaultCheck> => {
      const secrets: VaultSecretSummary[] = [];
      try {
        for await (const secret of vault.listSecrets()) secrets.push(secret);
      } catch (error) {
        return failedVaultCheck(vault.vaultUrl, error);
      }
      const uses = connectionUses(vault.vaultUrl, secrets);
      const entries: VaultIndexEntry[] = secrets.map((s) => toVaultIndexEntry(vault.vaultUrl, s, homeTenantId, uses.get(s.name)));
      await index.replaceVault(vault.vaultUrl, entries);
      return { vaultUrl: vault.vaultUrl, outcome: checked({ secrets: entries.length }) };
    }),
  );
  await health.record(checks, now);
  return checks;
}
