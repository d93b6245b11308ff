import type { DateTime } from 'luxon';
import type { SecretVersionListing, TokenVault, StoredSecret } from './TokenPorts.js';
import type { VaultFailure } from '../vault/VaultFailure.js';
import { toWrittenBackTags, type RefreshFacts } from './toWrittenBackTags.js';
import { withVaultRetries } from './withVaultRetries.js';
import type { Sleep } from '../helpers/sleep.js';

/** Versions kept enabled after a write-back: the new one, and the previous one for apps still holding it. */
export const ENABLED_VERSIONS_KEPT = 2;

/**
 * A stored token's new version, and the disabling of older versions still under way: it cannot undo the
 * write, and it disables only the versions listed under the lease, so the caller may tell of the refresh and
 * give up its lease meanwhile (docs/tokens.md, "How a refresh runs"). What it could not disable comes back as warnings.
 */
export type StoreResult =
  | { kind: 'stored'; version: string; createdOn: DateTime | undefined; disabling: Promise<string[]> }
  | { kind: 'failed'; failure: VaultFailure };

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
  // The versions are listed beside the create, not after it: the listing does not need the new version
  // (it is told apart by its id), and one Key Vault round trip fewer is on every write-back's chain.
  const [written, listed] = await Promise.all([
    withVaultRetries(() => store.writeVersion(secret.name, rotated, toWrittenBackTags(secret.tags, facts), secret.contentType), sleep),
    withVaultRetries(() => store.listVersions(secret.name), sleep),
  ]);
  if (!written.ok) return { kind: 'failed', failure: written.failure };
  const { version, createdOn } = written.value;
  const disabling = listed.ok
    ? disableOlderVersions(store, secret.name, version, listed.value, sleep)
    : Promise.resolve([`could not list the versions of ${secret.name}: ${listed.failure.kind}`]);
  return { kind: 'stored', version, createdOn, disabling };
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

/**
 * Disables enabled versions beyond the new one and the newest before it. The listing was taken while the
 * new version was being written, so it may or may not hold it: it is left out either way.
 */
async function disableOlderVersions(
  store: TokenVault,
  name: string,
  newest: string,
  listed: readonly SecretVersionListing[],
  sleep: Sleep,
): Promise<string[]> {
  const older = listed.filter((v) => v.version !== newest).sort((a, b) => (b.createdOn?.toMillis() ?? 0) - (a.createdOn?.toMillis() ?? 0));
  const warnings: string[] = [];
  for (const old of older.slice(ENABLED_VERSIONS_KEPT - 1).filter((v) => v.enabled)) {
    const disabled = await withVaultRetries(() => store.disableVersion(name, old.version), sleep);
    if (!disabled.ok) warnings.push(`could not disable version ${old.version} of ${name}: ${disabled.failure.kind}`);
  }
  return warnings;
}
