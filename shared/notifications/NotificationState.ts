import type { Severity } from '../events/vigilEvent.js';
import type { RouteState, Snooze } from './decideDeliveries.js';

/** The last thing seen of a finding: what the snooze API checks a request against. */
export interface FindingRecord {
  findingId: string;
  key: string;
  type: string;
  severity: Severity;
  tenantId: string;
  name: string;
  /** The credential's expiry, when the finding is about one: a snooze may not outlast it by much. */
  endDateTime?: string;
  lastSeen: string;
  snooze?: Snooze;
}

/** Per (finding, route) what was last sent, and per finding its record and snooze. */
export interface NotificationState {
  /** Route states by `stateKey(findingId, route)`, and snoozes by finding id, for the given findings. */
  load(findingIds: readonly string[]): Promise<{ states: Map<string, RouteState>; snoozes: Map<string, Snooze> }>;
  save(changed: ReadonlyMap<string, RouteState>): Promise<void>;
  /** Upserts the records without touching their snoozes. */
  recordFindings(records: ReadonlyArray<Omit<FindingRecord, 'snooze'>>): Promise<void>;
  getFinding(findingId: string): Promise<FindingRecord | undefined>;
  setSnooze(findingId: string, snooze: Snooze | undefined): Promise<void>;
}
