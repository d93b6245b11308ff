import type { DateTime, Duration } from 'luxon';
import type { ConnectionRef } from './Connection.js';
import type { ConnectionState } from './ConnectionState.js';
import type { PlannedRow } from './PlannedRow.js';

/** Proof of holding a connection's lease; opaque to the core. */
export interface Lease {
  ref: ConnectionRef;
  holder: string;
  expiresAt: string;
  /** The store's concurrency token (a Table Storage ETag). */
  token: string;
}

export type LeaseResult = { kind: 'acquired'; lease: Lease; state: ConnectionState | undefined } | { kind: 'busy'; heldUntil: string };

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
