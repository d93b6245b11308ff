import type { DateTime } from 'luxon';
import type { Inventory } from './takeInventory.js';
import type { VaultCheck, VaultHealth } from './VaultHealth.js';

/** Where the latest inventory is kept for the read API and the local run summary. */
export interface InventoryStore {
  save(inventory: Inventory): Promise<void>;
  /** The latest inventory; undefined before the first was saved. */
  read(): Promise<Inventory | undefined>;
}

/** What Vigil reads from a vault for an inventory: names and tags only, never values. */
export interface VaultSecretSummary {
  name: string;
  tags: Record<string, string>;
  enabled: boolean;
  expiresOn: Date | undefined;
}

export interface VaultReader {
  readonly vaultUrl: string;
  listSecrets(): AsyncIterable<VaultSecretSummary>;
}

export interface DirectoryReader {
  readonly tenantId: string;
  countApplications(): Promise<number>;
  countServicePrincipals(): Promise<number>;
}

/** Vault health rows, one per vault, written conditionally so two planners never lose each other's check. */
export interface VaultHealthStore {
  list(): Promise<VaultHealth[]>;
  /** The vault's health (undefined: none, or unreadable) and its row's version (undefined: no row yet). */
  read(vaultUrl: string): Promise<{ health: VaultHealth | undefined; version: string | undefined }>;
  /** Writes if the row is still at `version` (undefined: only if there is none); false when it moved on. */
  write(health: VaultHealth, version: string | undefined): Promise<boolean>;
}

/** What planners hand their listings to: the one vault-health source, whichever planner listed. */
export interface VaultHealthRecorder {
  record(checks: readonly VaultCheck[], now: DateTime): Promise<VaultHealth[]>;
}
