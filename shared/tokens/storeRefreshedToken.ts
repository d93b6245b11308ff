import type { DateTime } from 'luxon';
import type { TokenVault, StoredSecret } from './TokenPorts.js';
import type { VaultFailure } from '../vault/VaultFailure.js';
import { toWrittenBackTags, type RefreshFacts } from './toWrittenBackTags.js';
import { withVaultRetries } from './withVaultRetries.js';
import type { Sleep } from '../helpers/sleep.js';

/** Versions kept enabled after a write-back: the new one, and the previous one for apps still holding it. */
export const ENABLED_VERSIONS_KEPT = 2;

export type StoreResult =
  { kind: 'stored'; version: string; createdOn: DateTime | undefined; warnings: string[] } | { kind: 'failed'; failure: VaultFailure };

/**
 * Writes the rotated token as a new version carrying the secret's tags plus Vigil's, then disables
 * enabled versions beyond the newest two. Key Vault keeps every version forever, which is why this
 * runs only when the stored token is old enough (docs/tokens.md "Version cadence"). Failing to
 * disable old versions does not undo the refresh: it comes back as a warning.
 */
export async function writeBackToken(
  store: TokenVault,
  secret: Omit<StoredSecret, 'value'>,
  rotated: string,
  facts: RefreshFacts,
  sleep: Sleep,
): Promise<StoreResult> {
  const written = await withVaultRetries(
    () => store.writeVersion(secret.name, rotated, toWrittenBackTags(secret.tags, facts), secret.contentType),
    sleep,
  );
  if (!written.ok) return { kind: 'failed', failure: written.failure };
  const warnings = await disableOlderVersions(store, secret.name, written.value.version, sleep);
  return { kind: 'stored', version: written.value.version, createdOn: written.value.createdOn, warnings };
}

/** Updates the tags of the version in place after a probe: no new version. */
export async function tagProbedVersion(
  store: TokenVault,
  secret: Omit<StoredSecret, 'value'>,
  facts: RefreshFacts,
  sleep: Sleep,
): Promise<string[]> {
  const updated = await withVaultRetries(() => store.updateTags(secret.name, secret.version, toWrittenBackTags(secret.tags, facts)), sleep);
  return updated.ok ? [] : [`could not update the tags of ${secret.name}: ${updated.failure.kind}`];
}

async function disableOlderVersions(store: TokenVault, name: string, newest: string, sleep: Sleep): Promise<string[]> {
  const listed = await withVaultRetries(() => store.listVersions(name), sleep);
  if (!listed.ok) return [`could not list the versions of ${name}: ${listed.failure.kind}`];
  // Newest first; the version just written leads even if clocks tie.
  const ordered = [...listed.value].sort(
    (a, b) =>
      Number(b.version === newest) - Number(a.version === newest) || (b.createdOn?.toMillis() ?? 0) - (a.createdOn?.toMillis() ?? 0),
  );
  const warnings: string[] = [];
  for (const old of ordered.slice(ENABLED_VERSIONS_KEPT).filter((v) => v.enabled)) {
    const disabled = await withVaultRetries(() => store.disableVersion(name, old.version), sleep);
    if (!disabled.ok) warnings.push(`could not disable version ${old.version} of ${name}: ${disabled.failure.kind}`);
  }
  return warnings;
}
