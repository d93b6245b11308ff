import { randomUUID } from 'node:crypto';
import type { DateTime } from 'luxon';
import type { EventPublisher } from '../events/EventPublisher.js';
import { attemptRefresh, type AttemptDeps } from './attemptRefresh.js';
import type { ConnectionRef } from './Connection.js';
import type { ConnectionState } from './ConnectionState.js';
import type { LeaseStore } from './TokenPorts.js';
import type { PlannedRow } from './PlannedRow.js';
import { nextConnectionState, type AttemptOutcome } from './nextConnectionState.js';
import { toConnectionEvents } from './toConnectionEvents.js';

export interface RefreshDeps extends AttemptDeps {
  leases: LeaseStore;
  events: EventPublisher;
  /** Tenant named on events about a connection whose own tenant is unknown (bad tags). */
  homeTenantId: string;
}

export type RefreshRun =
  | { kind: 'busy'; heldUntil: string }
  | { kind: 'alreadyDone'; state: ConnectionState | undefined }
  | { kind: 'notAConnection' }
  | { kind: 'attempted'; outcome: AttemptOutcome['kind']; state: ConnectionState; warnings: string[]; leaseLost: boolean };

/**
 * Refreshes one connection under its lease, so two workers never spend one refresh token twice. A
 * queued request planned before the connection's last attempt is a duplicate and is dropped
 * (`plannedAt`), which makes the queue handler idempotent. `planned`, the row as the planner read it,
 * saves reading it again when nothing changed since.
 */
export async function refreshConnection(
  deps: RefreshDeps,
  ref: ConnectionRef,
  now: DateTime,
  options: { plannedAt?: DateTime; planned?: PlannedRow } = {},
): Promise<RefreshRun> {
  const acquired = await deps.leases.acquire(ref, randomUUID(), now, deps.policy.leaseDuration, options.planned);
  if (acquired.kind === 'busy') return acquired;
  const { lease, state: previous } = acquired;
  if (options.plannedAt && previous?.lastAttempt && Date.parse(previous.lastAttempt) >= options.plannedAt.toMillis()) {
    await deps.leases.release(lease, previous);
    return { kind: 'alreadyDone', state: previous };
  }
  let attempt: Awaited<ReturnType<typeof attemptRefresh>>;
  try {
    attempt = await attemptRefresh(deps, ref, now);
  } catch (error) {
    await deps.leases.release(lease, previous);
    throw error;
  }
  if (attempt.outcome.kind === 'notAConnection') {
    await deps.leases.release(lease, previous);
    return { kind: 'notAConnection' };
  }
  const transition = nextConnectionState(previous, ref, attempt.outcome, now, deps.policy);
  const { state } = transition;
  try {
    await deps.events.publish(toConnectionEvents(attempt.outcome, previous, transition, deps.homeTenantId, now));
  } catch (error) {
    // Keep the old state so the next attempt raises the notice again rather than never.
    await deps.leases.release(lease, previous);
    throw error;
  }
  const kept = await deps.leases.release(lease, state);
  return { kind: 'attempted', outcome: attempt.outcome.kind, state, warnings: attempt.warnings, leaseLost: !kept };
}
