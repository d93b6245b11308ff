import type { DateTime } from 'luxon';
import {
  markerOf,
  type CompletedRotation,
  type NewSecret,
  type PasswordCredentialInfo,
  type Rotation,
  type RotationStep,
} from './Rotation.js';
import { directoryReadLagMinutes, rotationLimits, type RotationLimits, type StepOutcome } from './StepOutcome.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

const historyLimit = 50;
/** How often an old secret that still signs in is checked again: the usage report is refreshed about daily. */
export const retireRecheckHours = 24;

/** Takes a rotation for one run: counts the attempt and holds it for the lease time. */
export function claim(rotation: Rotation, now: DateTime, limits: RotationLimits = rotationLimits): Rotation {
  return { ...rotation, attempts: rotation.attempts + 1, leaseUntil: iso(now.plus({ minutes: limits.leaseMinutes })), updatedAt: iso(now) };
}

/** The pure transition: the state after `rotation.step` came to `outcome` at `now`. */
export function nextStep(rotation: Rotation, outcome: StepOutcome, now: DateTime, limits: RotationLimits = rotationLimits): Rotation {
  const { leaseUntil: _lease, wakeAt: _wake, step, newCredential, vaultVersion, retireAt, retirement, failure, ...rest } = rotation;
  const base = {
    ...rest,
    attempts: 0,
    updatedAt: iso(now),
    history: [...rotation.history, { at: iso(now), step, outcome: outcome.kind, ...detailOf(outcome) }].slice(-historyLimit),
  };
  /** What the rotation got so far, carried into where it ends (a field still undefined is left out when stored as JSON). */
  const sofar = { newCredential, vaultVersion, retireAt, retirement };
  const later = (): Rotation => ({
    ...rotation,
    leaseUntil: undefined,
    updatedAt: base.updatedAt,
    history: base.history,
    wakeAt: iso(now.plus({ minutes: limits.retryDelayMinutes })),
  });
  const fail = (reason: string, at: RotationStep = step): Rotation => ({
    ...base,
    ...sofar,
    step: 'failed',
    failure: failure ?? { step: at, reason },
  });
  const rollBack = (reason: string): Rotation => ({
    ...base,
    newCredential,
    vaultVersion,
    step: 'rollBack',
    failure: { step, reason },
  });
  /** A roll-back that failed for good says so, and what a person must remove: its own reason would be lost behind the first. */
  const rollBackFailed = (why: string): Rotation => ({
    ...base,
    ...sofar,
    step: 'failed',
    failure: {
      step: failure?.step ?? step,
      reason: `${failure?.reason ?? 'rolling back'}; rolling back did not finish (${why}): check by hand the app's client secrets (remove any named "${markerOf(rotation.id)} by …") and the Key Vault secret's latest version`,
    },
  });
  const canRetry = rotation.attempts < limits.maxAttempts;

  switch (outcome.kind) {
    case 'secretStored':
      return { ...base, step: 'verify', newCredential: outcome.newCredential, vaultVersion: outcome.vaultVersion };
    case 'vaultWriteFailed':
      return fail(
        `Key Vault did not take the new secret (${outcome.reason}); the new Entra secret ${outcome.newKeyId} ${outcome.newSecretRemoved ? 'was removed again' : 'could NOT be removed: remove it by hand'}`,
      );
    case 'stepFailed':
      if (outcome.transient && canRetry) return later();
      if (step === 'verify') return rollBack(outcome.reason);
      if (step === 'rollBack') return rollBackFailed(outcome.reason);
      return fail(step === 'retire' ? `the old secret could not be removed (${outcome.reason}); remove it by hand` : outcome.reason);
    case 'secretMayExist': {
      // Its next try removes a secret so named before adding one; after the last, the roll-back removes it, once
      // Graph's reads can show it.
      const reason = `${outcome.reason}: whether Graph added the secret "${outcome.displayName}" is unknown`;
      if (canRetry) return later();
      return { ...rollBack(reason), wakeAt: iso(now.plus({ minutes: directoryReadLagMinutes })) };
    }
    case 'abandoned':
      if (step === 'rollBack') return rollBackFailed(outcome.reason);
      return step === 'verify' || step === 'addSecret' ? rollBack(outcome.reason) : fail(outcome.reason);
    case 'verified': {
      const at = expectStep(rotation, outcome, 'verify');
      return { ...base, step: 'notify', newCredential: at.newCredential, vaultVersion: at.vaultVersion };
    }
    case 'notVerified':
      return canRetry ? later() : rollBack(`a token request with the new secret did not succeed: ${outcome.reason}`);
    case 'notified':
      return afterNotify({ ...base, ...stored(expectStep(rotation, outcome, 'notify')) }, rotation.oldCredential, now);
    case 'retired': {
      const at = expectStep(rotation, outcome, 'retire');
      return {
        ...base,
        ...stored(at),
        retireAt: at.retireAt,
        step: 'completed',
        retirement: { kind: 'decided', evidence: outcome.evidence },
      };
    }
    case 'alreadyRetired': {
      const at = expectStep(rotation, outcome, 'retire');
      return { ...base, ...stored(at), retirement: at.retirement, retireAt: at.retireAt, step: 'completed' };
    }
    case 'retireDeferred': {
      const at = expectStep(rotation, outcome, 'retire');
      const nextCheckAt = iso(now.plus({ hours: retireRecheckHours }));
      const since = at.retirement?.kind === 'waiting' ? at.retirement.since : iso(now);
      const { lastSignIn, resource, holders } = outcome;
      return {
        ...base,
        ...stored(at),
        step: 'retire',
        oldCredential: at.oldCredential,
        retireOldAfterHours: at.retireOldAfterHours,
        retireAt: at.retireAt,
        wakeAt: nextCheckAt,
        retirement: { kind: 'waiting', lastSignIn, resource, holders, since, nextCheckAt },
      };
    }
    case 'rolledBack': {
      const at = expectStep(rotation, outcome, 'rollBack');
      return fail(at.failure.reason, at.failure.step);
    }
  }
}

/** After the announcement: retire the old secret after the grace period, or finish when there is none to retire. */
function afterNotify(next: Omit<CompletedRotation, 'step'>, oldCredential: PasswordCredentialInfo | undefined, now: DateTime): Rotation {
  const hours = next.retireOldAfterHours;
  if (!oldCredential || hours === 'never') return { ...next, step: 'completed' };
  const retireAt = iso(now.plus({ hours }));
  return { ...next, step: 'retire', oldCredential, retireOldAfterHours: hours, retireAt, wakeAt: retireAt };
}

const stored = (rotation: NewSecret): NewSecret => ({ newCredential: rotation.newCredential, vaultVersion: rotation.vaultVersion });

/**
 * The rotation at the step an outcome belongs to. `executeStep` gives each step only its own outcomes,
 * so another pairing is a defect: it stops the run, loudly, rather than write a rotation that lies.
 */
function expectStep<S extends RotationStep>(rotation: Rotation, outcome: StepOutcome, step: S): Rotation & { step: S } {
  if (isAt(rotation, step)) return rotation;
  throw new Error(`rotation ${rotation.id}: a ${outcome.kind} outcome cannot happen at step ${rotation.step}`);
}

const isAt = <S extends RotationStep>(rotation: Rotation, step: S): rotation is Rotation & { step: S } => rotation.step === step;

function detailOf(outcome: StepOutcome): { detail?: string } {
  switch (outcome.kind) {
    case 'secretStored':
      return {
        detail: `new key ${outcome.newCredential.keyId}, vault version ${outcome.vaultVersion}${outcome.adopted ? ' (adopted after an interruption)' : ''}${outcome.orphansRemoved.length ? `; removed orphans ${outcome.orphansRemoved.join(', ')}` : ''}`,
      };
    case 'vaultWriteFailed':
    case 'stepFailed':
    case 'abandoned':
      return { detail: outcome.reason };
    case 'secretMayExist':
      return { detail: `${outcome.reason}; a secret "${outcome.displayName}" may exist` };
    case 'verified':
      return { detail: `token issued after ${outcome.tries} tr${outcome.tries === 1 ? 'y' : 'ies'}` };
    case 'notVerified':
      return { detail: `${outcome.reason} after ${outcome.tries} tries` };
    case 'rolledBack':
      return {
        detail: `removed ${outcome.removedKeyIds.join(', ') || 'nothing'}; vault ${outcome.vault}${outcome.restoredVersion ? ` as ${outcome.restoredVersion}` : ''}`,
      };
    case 'retired':
      return { detail: outcome.evidence };
    case 'retireDeferred':
      return { detail: `the old secret signed in at ${outcome.lastSignIn}${outcome.resource ? ` to ${outcome.resource}` : ''}; kept` };
    default:
      return {};
  }
}

const iso = (t: DateTime): string => toIsoUtc(t);

/** A step is due when nothing asked it to wait, or the wait is over. */
export const isDue = (rotation: Rotation, now: DateTime): boolean => !rotation.wakeAt || Date.parse(rotation.wakeAt) <= now.toMillis();
/** Another run holds the rotation until its lease ends. */
export const isLeased = (rotation: Rotation, now: DateTime): boolean =>
  !!rotation.leaseUntil && Date.parse(rotation.leaseUntil) > now.toMillis();
