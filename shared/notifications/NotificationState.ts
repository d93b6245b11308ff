import { z } from 'zod';
import { severities, vigilEventSchema, type Severity, type VigilEvent } from '../events/vigilEvent.js';

export const snoozeSchema = z.object({ until: z.string(), reason: z.string(), by: z.string(), at: z.string() });
export type Snooze = z.output<typeof snoozeSchema>;

const told = {
  dedupeKey: z.string(),
  severity: z.enum(severities),
  /** RFC 3339 UTC time of the last decision to notify this route. */
  notifiedAt: z.string(),
  /**
   * The digest items that decision wrote (`bucket/row`): how a flush tells a committed item from an abandoned one,
   * and one overtaken from another bucket (settleHeldItems) from one it may still send.
   */
  items: z.array(z.string()).default([]),
  /**
   * The first item of the decision this one was made on top of, when the state named one: a decision whose
   * publisher committed it and stopped before marking its items is still told apart from an abandoned one
   * once a later decision overtook it (commitChange). One step back only; a flush sends such a decision only
   * when the one on top is in its bucket, so it goes out in the same digest. A decision whose items were marked
   * committed is checked from `items` the same way; the rules and their limits are settleHeldItems' (overtakenElsewhere).
   */
  overtook: z.string().optional(),
};

const currentRouteState = z.discriminatedUnion('status', [
  /** The route was told of a problem and not yet of its end. `since`: when it was first told of this situation (dedupe key). */
  z.object({ status: z.literal('open'), ...told, since: z.string() }),
  /** The route was told of the recovery, or the finding is a record (info). */
  z.object({ status: z.literal('closed'), ...told }),
]);

/** Rows written before states had a status: an `open` flag, and the last notice stands in for `since`. */
const legacyRouteState = z
  .object({ open: z.boolean(), dedupeKey: z.string(), severity: z.enum(severities), notifiedAt: z.string() })
  .transform(({ open, ...rest }) =>
    open ? { status: 'open' as const, ...rest, items: [], since: rest.notifiedAt } : { status: 'closed' as const, ...rest, items: [] },
  );

/** What a route was last told about a finding: kept per (finding, route), parsed from storage with this schema. */
export const routeStateSchema = z.union([currentRouteState, legacyRouteState]);
export type RouteState = z.output<typeof currentRouteState>;
export type OpenRouteState = Extract<RouteState, { status: 'open' }>;

/** A stored value and the ETag it was read with: a write conditional on the ETag fails if anyone wrote in between. */
export interface Stored<T> {
  value: T;
  etag: string;
}

export const stateKey = (findingId: string, route: string): string => `${findingId}/${route}`;

/** The last thing seen of a finding: what the snooze API checks a request against and what reminders repeat. */
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
  /** The newest event that opened or kept the finding open: a reminder repeats it with the current state. */
  event?: VigilEvent;
  snooze?: Snooze;
}

/** Parses a stored event; a row written by an older version may hold none. */
export const storedEventSchema = z
  .string()
  .transform((text) => JSON.parse(text) as unknown)
  .pipe(vigilEventSchema);

/** One conditional write of a route state: an insert where the route has none (`etag` undefined), else a replace at that ETag. */
export interface StateChange {
  key: string;
  next: RouteState;
  etag: string | undefined;
}

export type CommitOutcome = 'committed' | 'conflict';

/** Per (finding, route) what was last sent, and per finding its record and snooze. */
export interface NotificationState {
  /** Route states by `stateKey(findingId, route)`, with their ETags, and the records of the given findings. */
  load(findingIds: readonly string[]): Promise<{ routes: Map<string, Stored<RouteState>>; findings: Map<string, FindingRecord> }>;
  commit(change: StateChange): Promise<CommitOutcome>;
  read(key: string): Promise<Stored<RouteState> | undefined>;
  /** Upserts the records without touching their snoozes. */
  recordFindings(records: ReadonlyArray<Omit<FindingRecord, 'snooze'>>): Promise<void>;
  getFinding(findingId: string): Promise<FindingRecord | undefined>;
  setSnooze(findingId: string, snooze: Snooze | undefined): Promise<void>;
  /** Removes the snooze only while it still ends at `until`: a snooze set again meanwhile stays. */
  clearSnooze(findingId: string, until: string): Promise<void>;
  /** Every route state that is open, with its finding: what the reminder walk goes through. */
  listOpen(): Promise<Array<{ findingId: string; route: string; state: Stored<OpenRouteState> }>>;
}
