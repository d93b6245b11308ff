import type { DateTime } from 'luxon';
import { checked, unchecked, type CheckOutcome } from '../helpers/CheckOutcome.js';
import { CONNECTION_KIND, vaultTagNames } from '../vault/vaultTagNames.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';
import type { DirectoryReader, VaultReader } from './InventoryPorts.js';

export interface VaultInventory {
  vaultUrl: string;
  outcome: CheckOutcome<{ secrets: number; connections: number; expiring: number }>;
}

export interface TenantInventory {
  tenantId: string;
  outcome: CheckOutcome<{ applications: number; servicePrincipals: number }>;
}

export interface Inventory {
  takenAt: string;
  vaults: VaultInventory[];
  tenants: TenantInventory[];
}

/**
 * Lists what Vigil can see: the secrets in each watched vault (from tags alone) and the app
 * registrations in each tenant. A source that fails is reported as unchecked, and the others go on.
 */
export async function takeInventory(sources: { vaults: VaultReader[]; directories: DirectoryReader[] }, now: DateTime): Promise<Inventory> {
  const soon = now.plus({ days: 30 }).toJSDate();
  const vaults = await Promise.all(
    sources.vaults.map(async (vault): Promise<VaultInventory> => {
      try {
        let secrets = 0;
        let connections = 0;
        let expiring = 0;
        for await (const secret of vault.listSecrets()) {
          secrets += 1;
          if (secret.tags[vaultTagNames.kind] === CONNECTION_KIND) connections += 1;
          if (secret.enabled && secret.expiresOn && secret.expiresOn <= soon) expiring += 1;
        }
        return { vaultUrl: vault.vaultUrl, outcome: checked({ secrets, connections, expiring }) };
      } catch (error) {
        return { vaultUrl: vault.vaultUrl, outcome: unchecked(describeFailure(error)) };
      }
    }),
  );
  const tenants = await Promise.all(
    sources.directories.map(async (directory): Promise<TenantInventory> => {
      try {
        const [applications, servicePrincipals] = await Promise.all([directory.countApplications(), directory.countServicePrincipals()]);
        return { tenantId: directory.tenantId, outcome: checked({ applications, servicePrincipals }) };
      } catch (error) {
        return { tenantId: directory.tenantId, outcome: unchecked(describeFailure(error)) };
      }
    }),
  );
  return { takenAt: toIsoUtc(now), vaults, tenants };
}

/** Adapters throw errors whose messages carry status and code only; keep the first line. */
function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 300);
}
