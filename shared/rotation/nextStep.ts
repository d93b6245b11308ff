import type { DateTime } from 'luxon';
import type { Rotation, RotationStep } from './Rotation.js';
import { rotationLimits, type RotationLimits, type StepOutcome } from './StepOutcome.js';
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
  const { leaseUntil: _lease, wakeAt: _wake, ...rest } = rotation;
  const base: Rotation = {
    ...rest,
    updatedAt: iso(now),
    history: [...rotation.history, { at: iso(now), step: rotation.step, outcome: outcome.kind, ...detailOf(outcome) }].slice(-historyLimit),
  };
  const moveTo = (step: RotationStep, changes: Partial<Rotation> = {}): Rotation => ({ ...base, ...changes, step, attempts: 0 });
  const later = (): Rotation => ({ ...base, wakeAt: iso(now.plus({ minutes: limits.retryDelayMinutes })) });
  const fail = (reason: string, step: RotationStep = rotation.step): Rotation =>
    moveTo('failed', { failure: rotation.failure ?? { step, reason } });
  const rollBack = (reason: string): Rotation => moveTo('rollBack', { failure: { step: rotation.step, reason } });
  const canRetry = rotation.attempts < limits.maxAttempts;

  switch (outcome.kind) {
    case 'secretStored':
      return moveTo('verify', { newCredential: outcome.newCredential, vaultVersion: outcome.vaultVersion });
    case 'vaultWriteFailed':
      return fail(
        `Key Vault did not take the new secret (${outcome.reason}); the new Entra secret ${outcome.newKeyId} ${outcome.newSecretRemoved ? 'was removed again' : 'could NOT be removed: remove it by hand'}`,
      );
    case 'stepFailed':
      if (outcome.transient && canRetry) return later();
      if (rotation.step === 'verify') return rollBack(outcome.reason);
      return fail(
        rotation.step === 'retire' ? `the old secret could not be removed (${outcome.reason}); remove it by hand` : outcome.reason,
      );
    case 'abandoned':
      return rotation.step === 'verify' || rotation.step === 'addSecret' ? rollBack(outcome.reason) : fail(outcome.reason);
    case 'verified':
      return moveTo('notify');
    case 'notVerified':
      return canRetry ? later() : rollBack(`a token request with the new secret did not succeed: ${outcome.reason}`);
    case 'notified':
      return afterNotify(moveTo, rotation, now);
    case 'retired':
      return moveTo('completed', { retirement: { kind: 'decided', evidence: outcome.evidence } });
    case 'alreadyRetired':
      return moveTo('completed');
    case 'retireDeferred': {
      const nextCheckAt = iso(now.plus({ hours: retireRecheckHours }));
      const since = rotation.retirement?.kind === 'waiting' ? rotation.retirement.since : iso(now);
      const { lastSignIn, resource, holders } = outcome;
      return {
        ...moveTo('retire'),
        wakeAt: nextCheckAt,
        retirement: { kind: 'waiting', lastSignIn, resource, holders, since, nextCheckAt },
      };
    }
    case 'rolledBack':
      return fail(rotation.failure?.reason ?? 'rolled back', rotation.failure?.step);
  }
}

function afterNotify(moveTo: (step: RotationStep, changes?: Partial<Rotation>) => Rotation, rotation: Rotation, now: DateTime): Rotation {
  if (!rotation.oldCredential || rotation.retireOldAfterHours === 'never') return moveTo('completed');
  const retireAt = iso(now.plus({ hours: rotation.retireOldAfterHours }));
  return { ...moveTo('retire', { retireAt }), wakeAt: retireAt };
}

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
