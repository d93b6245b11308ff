import type { DateTime } from 'luxon';
import type { ConnectionRef } from './Connection.js';
import type { ConnectionState } from './ConnectionState.js';
import type { PlannedRow } from './PlannedRow.js';

/** A stored row for the planner: its state (none when only a lease wrote it), version and lease. */
export interface StoredConnectionRow {
  ref: ConnectionRef;
  row: PlannedRow & { version: string };
  leasedUntil: string | undefined;
}

/** Reads every connection's state, and records the planner's findings outside any refresh. */
export interface ConnectionStateStore {
  list(): Promise<ConnectionState[]>;
  listRows(): Promise<StoredConnectionRow[]>;
  /** Drops a connection's row if it is still at `version`; false when it changed or is gone. */
  forget(ref: ConnectionRef, version: string): Promise<boolean>;
  get(ref: ConnectionRef): Promise<ConnectionState | undefined>;
  /** Saves unless a refresh holds the connection's lease at `now` (that refresh records its own view); false then. */
  saveUnleased(state: ConnectionState, now: DateTime): Promise<boolean>;
}
