import type { SecretRecord, SecretVersionRecord, VaultRecord } from '../state/model.js';

/**
 * Reading a vault's secrets the way Key Vault does: names are case-insensitive (the first spelling is
 * kept), a soft-deleted secret is invisible to the live API, and one past its scheduled purge date is gone.
 */
export const secretNamePattern = /^[0-9a-zA-Z-]{1,127}$/;

export function isDeleted(secret: SecretRecord): boolean {
  return secret.deletedDate !== undefined;
}

/** The stored key of a secret, whatever the caller's casing. */
export function findSecretKey(vault: VaultRecord, name: string): string | undefined {
  if (vault.secrets[name]) return name;
  const wanted = name.toLowerCase();
  return Object.keys(vault.secrets).find((key) => key.toLowerCase() === wanted);
}

/** The emulated second each vault was last swept: purge dates have one-second resolution, so once a second is enough. */
const lastSweep = new WeakMap<VaultRecord, number>();

/** Purges deletions whose retention has run out, as Key Vault does on the scheduled purge date; true when any were. */
export function dropExpiredDeletions(vault: VaultRecord, nowSeconds: number): boolean {
  // Sweeping every secret on every request made large vaults (benchmarks) CPU-bound in the emulator.
  if (lastSweep.get(vault) === nowSeconds) return false;
  lastSweep.set(vault, nowSeconds);
  let dropped = false;
  for (const [key, secret] of Object.entries(vault.secrets)) {
    if (secret.scheduledPurgeDate !== undefined && secret.scheduledPurgeDate <= nowSeconds) {
      delete vault.secrets[key];
      dropped = true;
    }
  }
  return dropped;
}

/** Any secret record by name, live or deleted. */
export function findSecret(vault: VaultRecord, name: string): SecretRecord | undefined {
  const key = findSecretKey(vault, name);
  return key === undefined ? undefined : vault.secrets[key];
}

export function findLiveSecret(vault: VaultRecord, name: string): SecretRecord | undefined {
  const secret = findSecret(vault, name);
  return secret && !isDeleted(secret) && secret.versions.length > 0 ? secret : undefined;
}

export function findDeletedSecret(vault: VaultRecord, name: string): SecretRecord | undefined {
  const secret = findSecret(vault, name);
  return secret && isDeleted(secret) && secret.versions.length > 0 ? secret : undefined;
}

/** A version by id, or the current one when the id is empty. */
export function findVersion(secret: SecretRecord, version: string | undefined): SecretVersionRecord | undefined {
  if (!version) return secret.versions.at(-1);
  const wanted = version.toLowerCase();
  return secret.versions.find((v) => v.version === wanted);
}

/** Each vault's secrets as last sorted for paging, with the records they were sorted from. */
const sortedKept = new WeakMap<VaultRecord, { records: SecretRecord[]; sorted: SecretRecord[] }>();

/**
 * Every secret record of a vault by name, case-insensitively. Every page of a listing asks, so the order
 * is kept while the vault holds the same records (a new version or a deletion changes a record, not the
 * set): sorting a vault of 10,000 secrets for each of its 400 pages made the emulator's CPU grow with the
 * square of a benchmark's size.
 */
function sortedSecrets(vault: VaultRecord): SecretRecord[] {
  const records = Object.values(vault.secrets);
  const kept = sortedKept.get(vault);
  if (kept && kept.records.length === records.length && kept.records.every((record, i) => record === records[i])) return kept.sorted;
  // Lower-cased once per secret, not once per comparison.
  const sorted = records
    .map((secret) => ({ secret, key: secret.name.toLowerCase() }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ secret }) => secret);
  sortedKept.set(vault, { records, sorted });
  return sorted;
}

/** Secrets in a stable order for paging (by name, case-insensitively), live or deleted as asked. */
export function listSecrets(vault: VaultRecord, deleted: boolean): SecretRecord[] {
  return sortedSecrets(vault).filter((s) => s.versions.length > 0 && isDeleted(s) === deleted);
}
