import { z } from 'zod';
import { checkOutcomeSchema, unchecked } from '../helpers/CheckOutcome.js';
import { instantSchema } from '../events/instantSchema.js';
import type { Inventory, VaultInventory } from './takeInventory.js';
import type { VaultHealth } from './VaultHealth.js';

/** A vault's listing health as the read API shows it. */
export const vaultHealthViewSchema = z.object({
  status: z.enum(['ok', 'failing', 'never']),
  lastCheckedAt: instantSchema.nullable(),
  lastSuccessAt: instantSchema.nullable(),
  failingSince: instantSchema.nullable(),
  reason: z.string().nullable(),
  missingRole: z.string().nullable(),
});
export type VaultHealthView = z.output<typeof vaultHealthViewSchema>;

export const inventoryViewSchema = z
  .object({
    takenAt: instantSchema.nullable().describe('When the daily inventory last ran; null before its first run.'),
    vaults: z.array(
      z.object({
        vaultUrl: z.string(),
        outcome: checkOutcomeSchema(z.object({ secrets: z.int(), connections: z.int(), expiring: z.int() }))
          .nullable()
          .describe('What the inventory counted (names and tags only), or why the vault could not be listed.'),
        health: vaultHealthViewSchema,
      }),
    ),
    tenants: z.array(
      z.object({ tenantId: z.string(), outcome: checkOutcomeSchema(z.object({ applications: z.int(), servicePrincipals: z.int() })) }),
    ),
  })
  .meta({ id: 'Inventory', description: "What Vigil could see at its last inventory, with each vault's listing health." });
export type InventoryView = z.output<typeof inventoryViewSchema>;

const sameVault = (a: string, b: string) => a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();

/**
 * The last inventory with each watched vault's listing health beside it. The inventory runs daily; the
 * planners list every vault hourly: when a listing failed after the inventory was taken, the vault's
 * outcome is "could not check", never the older "checked". Undefined when neither has run yet.
 */
export function toInventoryView(
  inventory: Inventory | undefined,
  health: readonly VaultHealth[],
  vaultUrls: readonly string[],
): InventoryView | undefined {
  if (!inventory && health.length === 0) return undefined;
  const urls = [...vaultUrls, ...(inventory?.vaults ?? []).map((v) => v.vaultUrl).filter((u) => !vaultUrls.some((w) => sameVault(u, w)))];
  return {
    takenAt: inventory?.takenAt ?? null,
    vaults: urls.map((vaultUrl) => {
      const listed = inventory?.vaults.find((v) => sameVault(v.vaultUrl, vaultUrl))?.outcome;
      const latest = health.find((h) => sameVault(h.vaultUrl, vaultUrl));
      return { vaultUrl, outcome: outcomeOf(listed, latest, inventory?.takenAt), health: toHealthView(latest) };
    }),
    tenants: inventory?.tenants ?? [],
  };
}

function outcomeOf(
  listed: VaultInventory['outcome'] | undefined,
  latest: VaultHealth | undefined,
  takenAt: string | undefined,
): VaultInventory['outcome'] | null {
  const failedSince = latest?.status === 'failing' && (!takenAt || latest.lastCheckedAt > takenAt);
  if (failedSince && latest.status === 'failing') return unchecked(`could not list since ${latest.failingSince}: ${latest.problem.reason}`);
  return listed ?? null;
}

function toHealthView(health: VaultHealth | undefined): VaultHealthView {
  if (!health) return { status: 'never', lastCheckedAt: null, lastSuccessAt: null, failingSince: null, reason: null, missingRole: null };
  if (health.status === 'ok')
    return {
      status: 'ok',
      lastCheckedAt: health.lastCheckedAt,
      lastSuccessAt: health.lastSuccessAt,
      failingSince: null,
      reason: null,
      missingRole: null,
    };
  return {
    status: 'failing',
    lastCheckedAt: health.lastCheckedAt,
    lastSuccessAt: health.lastSuccessAt ?? null,
    failingSince: health.failingSince,
    reason: health.problem.reason,
    missingRole: health.problem.missingRole ?? null,
  };
}
