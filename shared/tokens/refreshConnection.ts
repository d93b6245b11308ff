import { randomUUID } from 'node:crypto';
import type { DateTime } from 'luxon';
import type { EventPublisher } from '../events/EventPublisher.js';
import { attemptRefresh, readToken, type AttemptDeps, type RefreshAttempt } from './attemptRefresh.js';
import type { ConnectionRef } from './Connection.js';
import type { ConnectionState } from './ConnectionState.js';
import type { LeaseStore } from './TokenPorts.js';
import type { PlannedRow } from './PlannedRow.js';
import { nextConnectionState, type AttemptOutcome, type Transition } from './nextConnectionState.js';
import { toConnectionEvents } from './toConnectionEvents.js';
import { yieldToEventLoop } from '../helpers/yieldToEventLoop.js';

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
 *
 * Two steps run beside each other rather than one after the other, each only where that changes
 * nothing a person could notice (docs/tokens.md "How a refresh runs"):
 * - With `planned`, the token is read while the lease is taken. The read is used only when the lease was
 *   taken over the planned row itself: then nothing wrote the row since planning, and a read under the
 *   lease could see nothing else. Otherwise it is dropped and the token read again under the lease.
 *   Reading spends nothing: a token is spent only by redeeming it, which waits for the lease.
 * - The events go out, then the state is saved and the lease given up, while the last Key Vault step
 *   that cannot change the outcome (a probe's tag update, a write-back's disabling of older versions)
 *   runs. Nothing in the state depends on that step (it can only add warnings), and it changes nothing a
 *   later attempt reads: the current version and its creation time are settled before the outcome is
 *   known, so an attempt that takes the free lease meanwhile redeems the token this one left and spends
 *   nothing twice. If the process dies during that step, the saved state is true and only the version's
 *   `vigil-last-refresh` tag lags until the next probe. If publishing fails, the lease is kept until the
 *   step has ended and the old state with it, so the next attempt raises the notice again.
 */
export async function refreshConnection(
  deps: RefreshDeps,
  ref: ConnectionRef,
  now: DateTime,
  options: { plannedAt?: DateTime; planned?: PlannedRow } = {},
): Promise<RefreshRun> {
  const early = options.planned ? readToken(deps, ref) : undefined;
  // Observed at once: a read that is dropped (busy, or the row moved on) must not fail unheard of.
  early?.catch(() => undefined);
  // The listener hands several messages over at once, and Node writes a request made in a promise's continuation only once
  // no microtask is left: the lease's storage work starts a turn later, once the early reads are written out.
  if (early) await yieldToEventLoop();
  const acquired = await deps.leases.acquire(ref, randomUUID(), now, deps.policy.leaseDuration, options.planned);
  if (acquired.kind === 'busy') return acquired;
  const { lease, state: previous } = acquired;
  if (options.plannedAt && previous?.lastAttempt && Date.parse(previous.lastAttempt) >= options.plannedAt.toMillis()) {
    await deps.leases.release(lease, previous);
    return { kind: 'alreadyDone', state: previous };
  }
  let attempt: RefreshAttempt;
  try {
    attempt = await attemptRefresh(deps, ref, now, acquired.asPlanned ? early : undefined);
  } catch (error) {
    await deps.leases.release(lease, previous);
    throw error;
  }
  const { outcome } = attempt;
  if (outcome.kind === 'notAConnection') {
    await deps.leases.release(lease, previous);
    return { kind: 'notAConnection' };
  }
  // The state is saved, and the lease given up, as soon as the events are out: beside the Key Vault step
  // still running, which cannot change the outcome (docs/tokens.md "How a refresh runs").
  const saving = publishTransition(deps, ref, outcome, previous, now).then(
    async ({ state }) => ({ state, kept: await deps.leases.release(lease, state) }),
    async (error: unknown) => {
      // Publishing failed: the lease, still held, is given up with the old state once the Key Vault step
      // has ended, so the next attempt raises the notice again rather than never.
      await attempt.warnings.catch(() => undefined);
      await deps.leases.release(lease, previous);
      throw error;
    },
  );
  const [saved, warnings] = await Promise.allSettled([saving, attempt.warnings]);
  // A failed save leaves the lease to run out, and the row as it was.
  if (saved.status === 'rejected') throw saved.reason;
  if (warnings.status === 'rejected') throw warnings.reason;
  const { state, kept } = saved.value;
  return { kind: 'attempted', outcome: outcome.kind, state, warnings: warnings.value, leaseLost: !kept };
}

/** The state an attempt leads to, once the events it raises are published. */
async function publishTransition(
  deps: RefreshDeps,
  ref: ConnectionRef,
  outcome: AttemptOutcome,
  previous: ConnectionState | undefined,
  now: DateTime,
): Promise<Transition> {
  const transition = nextConnectionState(previous, ref, outcome, now, deps.policy);
  await deps.events.publish(toConnectionEvents(outcome, previous, transition, deps.homeTenantId, now));
  return transition;
}
