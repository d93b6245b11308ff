import type { DateTime, Duration } from 'luxon';
import type { CloudName } from '../cloud/cloudEndpoints.js';
import type { VaultResult } from '../vault/VaultFailure.js';
import type { ConnectionRef } from './Connection.js';
import type { ConnectionState } from './ConnectionState.js';
import type { PlannedRow } from './PlannedRow.js';
import type { CertificateCredential } from './readCertificatePem.js';
import type { RefreshMessage } from './RefreshMessage.js';

// The token keeper's ports: what it needs from Key Vault, Entra's token endpoint, the connection
// state table (leases and rows) and the refresh queue. Adapters sit in shared/adapters/.

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

/** One `refresh_token` grant, as the token keeper asks for it. Holds two secrets: never log it. */
export interface TokenRefreshRequest {
  cloud: CloudName;
  tenant: string;
  clientId: string;
  credential: ClientCredential;
  refreshToken: string;
  scopes: string[];
}

/**
 * An app credential's value, as read from Key Vault: a client secret, or a certificate and its private
 * key (readCertificatePem), signed into a fresh `private_key_jwt` assertion per request. Never log it.
 */
export type ClientCredential = { kind: 'clientSecret'; secret: string } | { kind: 'certificate'; certificate: CertificateCredential };

/** The token endpoint answered with tokens. `refreshToken` is absent when Entra sent none (keep the stored one). */
export interface TokenGrant {
  kind: 'granted';
  refreshToken: string | undefined;
  grantedScopes: string[];
  /** `refresh_token_expires_in`, when Entra says it (seconds). */
  refreshTokenExpiresIn: number | undefined;
  correlationId: string | undefined;
}

/**
 * The token endpoint refused, or could not be reached. Only the fields classification needs: never the
 * description, which may quote request details.
 */
export type TokenFailure =
  | {
      kind: 'rejected';
      status: number;
      error: string | undefined;
      suberror: string | undefined;
      /** AADSTS numbers from `error_codes`, or the one opening `error_description` when the body lists none. */
      codes: number[];
      correlationId: string | undefined;
      retryAfterMs: number | undefined;
    }
  /** No whole answer; never a request that could not be made (a fault in Vigil or its settings, no network failure). */
  | { kind: 'unreachable'; reason: string };

export interface TokenEndpoint {
  refresh(request: TokenRefreshRequest): Promise<TokenGrant | TokenFailure>;
}

/** Proof of holding a connection's lease; opaque to the core. */
export interface Lease {
  ref: ConnectionRef;
  holder: string;
  expiresAt: string;
  /** The store's concurrency token (a Table Storage ETag). */
  token: string;
}

export type LeaseResult =
  | {
      kind: 'acquired';
      lease: Lease;
      state: ConnectionState | undefined;
      /** Taken over the row as the planner read it: nothing wrote the row between the planner's read and the lease. */
      asPlanned: boolean;
    }
  | { kind: 'busy'; heldUntil: string };

/**
 * One refresh per connection at a time. Acquiring re-reads the connection's state in the same step
 * ("take the lock, then re-read"); a holder that crashed loses the lease once it expires.
 */
export interface LeaseStore {
  /** With `planned` (the row as the planner read it), one conditional write when the row is unchanged since. */
  acquire(ref: ConnectionRef, holder: string, now: DateTime, duration: Duration, planned?: PlannedRow): Promise<LeaseResult>;
  /**
   * Saves the state and gives the lease up in one conditional write; `undefined` removes a row that the
   * lease alone created. False when the lease had expired and another holder took it.
   */
  release(lease: Lease, state: ConnectionState | undefined): Promise<boolean>;
}

/** A stored row for the planner: its state (none when only a lease wrote it), version and lease. */
export interface StoredConnectionRow {
  ref: ConnectionRef;
  row: PlannedRow & { version: string };
  leasedUntil: string | undefined;
}

/** Reads connections' states, and records the planner's findings outside any refresh. */
export interface ConnectionStateStore {
  /** Every connection's state, for views of all connections (the status page, the API). */
  list(): Promise<ConnectionState[]>;
  /**
   * One vault's rows, read whole (a secret without a row is known only once every row was read): the
   * planner holds one vault's rows at a time and lets each go once its secret is listed, so memory follows
   * the largest vault, not the sum of them.
   */
  listVaultRows(vaultUrl: string): Promise<StoredConnectionRow[]>;
  /** Drops a connection's row if it is still at `version`; false when it changed or is gone. */
  forget(ref: ConnectionRef, version: string): Promise<boolean>;
  get(ref: ConnectionRef): Promise<ConnectionState | undefined>;
  /** Saves unless a refresh holds the connection's lease at `now` (that refresh records its own view); false then. */
  saveUnleased(state: ConnectionState, now: DateTime): Promise<boolean>;
}

export interface RefreshQueue {
  send(messages: readonly RefreshMessage[]): Promise<void>;
}
