import type { DateTime } from 'luxon';
import type { AuditEntry } from '../audit/AuditLog.js';
import type { RotationDeps } from './RotationPorts.js';
import { executeStep } from './executeStep.js';
import { claim, isDue, isLeased, nextStep } from './nextStep.js';
import { holdsAppLock, isTerminal, type Rotation } from './Rotation.js';
import { changesSecrets, rescanTenant, type RescanOutcome } from './rescanTenant.js';
import { rotationEvents } from './rotationEvents.js';
import { rotationLimits, type RotationLimits, type StepOutcome } from './StepOutcome.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

export type AdvanceResult =
  | { kind: 'notFound' }
  | { kind: 'finished'; rotation: Rotation }
  | { kind: 'waiting'; rotation: Rotation }
  /** Another run holds the rotation (or saved it first): this run leaves it alone. */
  | { kind: 'busy'; rotation: Rotation };

/** The result, and when this run changed the app's secrets, whether its tenant's rescan was queued. */
export type AdvanceReport = AdvanceResult & { rescan?: RescanOutcome };

/** More steps than a rotation has: a guard against a loop, not a limit that is ever reached. */
const maxStepsPerRun = 12;

/**
 * Moves a rotation on as far as it can go now: take the lease (a conditional save), re-read nothing
 * (the lease is the lock), do the step, publish its events, save the next state. Safe to call for a
 * duplicate message, a late timer or a rotation another run is working on. When a step changed the
 * app's secrets (the new one is in use, or the old one is removed), the tenant is rescanned once.
 */
export async function advanceRotation(
  rotationId: string,
  deps: RotationDeps,
  now: DateTime,
  limits: RotationLimits = rotationLimits,
): Promise<AdvanceReport> {
  let changed: Rotation | undefined;
  const result = await advanceSteps(rotationId, deps, now, limits, (rotation) => (changed = rotation));
  return changed ? { ...result, rescan: await rescanTenant(changed, deps, now) } : result;
}

async function advanceSteps(
  rotationId: string,
  deps: RotationDeps,
  now: DateTime,
  limits: RotationLimits,
  onSecretsChanged: (rotation: Rotation) => void,
): Promise<AdvanceResult> {
  for (let i = 0; i < maxStepsPerRun; i++) {
    const stored = await deps.store.get(rotationId);
    if (!stored) return { kind: 'notFound' };
    const { rotation } = stored;
    if (isTerminal(rotation)) return { kind: 'finished', rotation };
    if (!isDue(rotation, now)) return { kind: 'waiting', rotation };
    if (isLeased(rotation, now)) return { kind: 'busy', rotation };
    const claimed = claim(rotation, now, limits);
    const held = await deps.store.save(claimed, stored.etag, false);
    if (held.kind === 'stale') return { kind: 'busy', rotation };
    // Claims beyond the allowed attempts mean earlier runs died inside this step without recording anything.
    const outcome: StepOutcome =
      claimed.attempts > limits.maxAttempts + 1
        ? { kind: 'abandoned', reason: `step ${claimed.step} was interrupted ${claimed.attempts - 1} times` }
        : await executeStep(claimed, deps, now);
    const next = nextStep(claimed, outcome, now, limits);
    await deps.events.publish(rotationEvents(claimed, outcome, next, now, deps.portal));
    await deps.audit.record(stepAuditEntry(claimed, outcome, next, now));
    const saved = await deps.store.save(next, held.etag, holdsAppLock(claimed.step) && !holdsAppLock(next.step));
    if (changesSecrets(outcome)) onSecretsChanged(next);
    if (saved.kind === 'stale') return { kind: 'busy', rotation: next };
  }
  throw new Error(`rotation ${rotationId} did not settle within ${maxStepsPerRun} steps`);
}

function stepAuditEntry(rotation: Rotation, outcome: StepOutcome, next: Rotation, now: DateTime): AuditEntry {
  const last = next.history.at(-1);
  return {
    at: toIsoUtc(now),
    actor: { kind: 'vigil', name: `Vigil, for ${rotation.requestedBy.name}` },
    action: `rotation.${rotation.step}`,
    outcome: outcome.kind,
    target: rotation.application.appId,
    rotationId: rotation.id,
    ...(last?.detail ? { reason: last.detail } : {}),
  };
}
