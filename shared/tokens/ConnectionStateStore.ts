import type { DateTime } from 'luxon';
import type { ConnectionRef } from './Connection.js';
import type { ConnectionState } from './ConnectionState.js';

/** Reads every connection's state, and records the planner's findings outside any refresh. */
export interface ConnectionStateStore {
  list(): Promise<ConnectionState[]>;
  get(ref: ConnectionRef): Promise<ConnectionState | undefined>;
  /** Saves unless a refresh holds the connection's lease at `now` (that refresh records its own view); false then. */
  saveUnleased(state: ConnectionState, now: DateTime): Promise<boolean>;
}
