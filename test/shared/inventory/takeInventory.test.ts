import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { takeInventory } from '../../../shared/inventory/takeInventory.js';
import type { DirectoryReader, VaultReader } from '../../../shared/inventory/InventoryPorts.js';

const now = DateTime.fromISO('2026-11-23T06:00:00Z', { zone: 'utc' });
const vault = (url: string, secrets: Array<{ name: string; tags?: Record<string, string>; expiresInDays?: number }>): VaultReader => ({
  vaultUrl: url,
  async *listSecrets() {
    for (const s of secrets) {
      yield {
        name: s.name,
        tags: s.tags ?? {},
        enabled: true,
        expiresOn: s.expiresInDays === undefined ? undefined : now.plus({ days: s.expiresInDays }).toJSDate(),
      };
    }
  },
});
const failingVault: VaultReader = {
  vaultUrl: 'https://broken.vault.azure.net',
  // A reader that fails before its first page, as a vault that refuses the list call does.
  // eslint-disable-next-line require-yield
  async *listSecrets() {
    throw new Error('Key Vault https://broken.vault.azure.net: HTTP 403 Forbidden\nsecond line');
  },
};
const directory = (tenantId: string, apps: number | Error): DirectoryReader => ({
  tenantId,
  countApplications: async () => {
    if (apps instanceof Error) throw apps;
    return apps;
  },
  countServicePrincipals: async () => 2,
});

describe('takeInventory', () => {
  it('counts secrets, token connections (not other kinds of Vigil secret) and those expiring within 30 days', async () => {
    const inventory = await takeInventory(
      {
        vaults: [
          vault('https://a', [
            { name: 'x', tags: { 'vigil-kind': 'delegated-refresh-token' } },
            { name: 'y', expiresInDays: 29 },
            { name: 'z', expiresInDays: 31 },
            { name: 'w', tags: { 'vigil-kind': 'client-secret' } },
          ]),
        ],
        directories: [directory('t1', 4)],
      },
      now,
    );
    expect(inventory).toEqual({
      takenAt: '2026-11-23T06:00:00.000Z',
      vaults: [{ vaultUrl: 'https://a', outcome: { kind: 'checked', value: { secrets: 4, connections: 1, expiring: 1 } } }],
      tenants: [{ tenantId: 't1', outcome: { kind: 'checked', value: { applications: 4, servicePrincipals: 2 } } }],
    });
  });

  it('reports failing sources as unchecked and still checks the others', async () => {
    const inventory = await takeInventory(
      { vaults: [failingVault, vault('https://ok', [])], directories: [directory('t1', new Error('Graph: HTTP 403')), directory('t2', 1)] },
      now,
    );
    expect(inventory.vaults.map((v) => v.outcome)).toEqual([
      { kind: 'unchecked', reason: 'Key Vault https://broken.vault.azure.net: HTTP 403 Forbidden' },
      { kind: 'checked', value: { secrets: 0, connections: 0, expiring: 0 } },
    ]);
    expect(inventory.tenants.map((t) => t.outcome.kind)).toEqual(['unchecked', 'checked']);
  });
});
