import type { DateTime } from 'luxon';
import type { VaultResult } from '../vault/VaultFailure.js';

/** A secret's current version as read, value included. Strip `value` where it enters: `const { value, ...safe } = secret`. */
export interface StoredSecret {
  name: string;
  value: string;
  version: string;
  tags: Record<string, string>;
  contentType: string | undefined;
  createdOn: DateTime | undefined;
  /** Key Vault's `exp`: a client secret copy's end, when whoever stored it set one (rotation always does). */
  expiresOn?: DateTime | undefined;
}

/** What a listing shows: properties and tags, never a value. */
export interface SecretListing {
  name: string;
  version: string | undefined;
  tags: Record<string, string>;
  enabled: boolean;
  createdOn: DateTime | undefined;
}

export interface SecretVersionListing {
  version: string;
  enabled: boolean;
  createdOn: DateTime | undefined;
}

/**
 * One vault as the token keeper (and the sign-in, which stores a new token) needs it. Failures are
 * `VaultFailure` values; only `list` throws, a `VaultListingError` carrying one.
 */
export interface TokenVault {
  readonly vaultUrl: string;
  /** Every secret's properties, from a listing (no values are read). Throws a `VaultListingError` when the vault cannot be listed. */
  list(): AsyncIterable<SecretListing>;
  /** The current version. With `maxAgeMs`, a value read that recently may be reused (client secrets). */
  read(name: string, options?: { maxAgeMs?: number }): Promise<VaultResult<StoredSecret>>;
  /** Drops a reused value, e.g. after Entra refused it. */
  forget(name: string): void;
  /** Creates a new version. */
  writeVersion(
    name: string,
    value: string,
    tags: Record<string, string>,
    contentType: string | undefined,
  ): Promise<VaultResult<{ version: string; createdOn: DateTime | undefined }>>;
  /** Replaces one version's tags, creating no version. */
  updateTags(name: string, version: string, tags: Record<string, string>): Promise<VaultResult<void>>;
  listVersions(name: string): Promise<VaultResult<SecretVersionListing[]>>;
  disableVersion(name: string, version: string): Promise<VaultResult<void>>;
}
