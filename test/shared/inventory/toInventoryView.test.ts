import { describe, expect, it } from 'vitest';
import { checked } from '../../../shared/helpers/CheckOutcome.js';
import type { Inventory } from '../../../shared/inventory/takeInventory.js';
import type { VaultHealth } from '../../../shared/inventory/VaultHealth.js';
import { toInventoryView } from '../../../shared/inventory/toInventoryView.js';

const VAULT = 'https://kv.vault.azure.net';
const inventory: Inventory = {
  takenAt: '2026-11-23T06:00:00.000Z',
  vaults: [{ vaultUrl: VAULT, outcome: checked({ secrets: 4, connections: 2, expiring: 0 }) }],
  tenants: [],
};
const failingAt = (at: string): VaultHealth => ({
  status: 'failing',
  vaultUrl: VAULT,
  lastCheckedAt: at,
  failingSince: at,
  consecutiveFailures: 1,
  problem: {
    code: 'Forbidden',
    reason: 'Key Vault refused to list the secrets (Forbidden)',
    persistent: true,
    missingRole: 'Key Vault Secrets Officer',
  },
});

describe('toInventoryView', () => {
  it('never shows a vault as checked when a listing failed after the inventory was taken', () => {
    const [vault] = toInventoryView(inventory, [failingAt('2026-11-23T08:00:00.000Z')], [VAULT])!.vaults;
    expect(vault).toMatchObject({
      outcome: { kind: 'unchecked', reason: expect.stringMatching(/^could not list since 2026-11-23T08:00:00.000Z: Key Vault refused/) },
      health: { status: 'failing', missingRole: 'Key Vault Secrets Officer' },
    });
  });

  it('keeps the inventory when it is newer than the failure, and shows vaults no run has seen yet', () => {
    const view = toInventoryView(inventory, [failingAt('2026-11-23T05:00:00.000Z')], [VAULT, 'https://other.vault.azure.net'])!;
    expect(view.vaults.map((v) => [v.outcome?.kind ?? null, v.health.status])).toEqual([
      ['checked', 'failing'],
      [null, 'never'],
    ]);
    expect(toInventoryView(undefined, [], [VAULT])).toBeUndefined();
  });
});
