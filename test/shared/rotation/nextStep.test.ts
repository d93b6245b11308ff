import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { claim, isDue, isLeased, nextStep } from '../../../shared/rotation/nextStep.js';
import type { Rotation, RotationStep } from '../../../shared/rotation/Rotation.js';
import { rotationSchema } from '../../../shared/rotation/rotationSchema.js';
import type { StepOutcome } from '../../../shared/rotation/StepOutcome.js';

const NOW = DateTime.fromISO('2026-11-23T06:00:00.000Z', { zone: 'utc' });
const at = (minutes: number): string => NOW.plus({ minutes }).toISO()!;
const newKey = { keyId: 'new-key', displayName: 'vigil:rot-1 by ops', endDateTime: '2027-05-22T06:00:00.000Z' };

/** What a rotation has by each step, unless a case says otherwise: the new secret from verify on, and the old one's removal time at retire. */
const byStep: Partial<Record<RotationStep, object>> = {
  verify: { newCredential: newKey, vaultVersion: 'v2' },
  notify: { newCredential: newKey, vaultVersion: 'v2' },
  retire: { newCredential: newKey, vaultVersion: 'v2', retireAt: at(0) },
};

function rotation(changes: Partial<Rotation> = {}): Rotation {
  return rotationSchema.parse({
    id: 'rot-1',
    tenantId: 't',
    application: { objectId: 'o', appId: 'a', displayName: 'Creatio CRM' },
    oldCredential: { keyId: 'old-key', displayName: 'prod', endDateTime: '2026-12-03T06:00:00.000Z' },
    lifetimeDays: 180,
    retireOldAfterHours: 168,
    vault: { url: 'https://v', secretName: 's', previousVersion: 'v1', tags: {} },
    routing: {},
    requestedBy: { kind: 'caller', id: 'ops-app', name: 'Ops CLI' },
    requestedAt: at(0),
    step: 'addSecret',
    attempts: 1,
    leaseUntil: at(11),
    history: [],
    updatedAt: at(0),
    ...byStep[changes.step ?? 'addSecret'],
    ...changes,
  });
}

const stored: StepOutcome = { kind: 'secretStored', newCredential: newKey, vaultVersion: 'v2', orphansRemoved: [], adopted: false };

describe('nextStep', () => {
  it.each<[string, Partial<Rotation>, StepOutcome, Partial<Rotation>]>([
    ['stored secret → verify', {}, stored, { step: 'verify', attempts: 0, newCredential: newKey, vaultVersion: 'v2' }],
    ['verified → notify', { step: 'verify' }, { kind: 'verified', tries: 2 }, { step: 'notify', attempts: 0 }],
    [
      'notified → retire after the grace period',
      { step: 'notify' },
      { kind: 'notified' },
      { step: 'retire', retireAt: NOW.plus({ hours: 168 }).toISO()!, wakeAt: NOW.plus({ hours: 168 }).toISO()! },
    ],
    [
      'notified with grace "never" → completed',
      { step: 'notify', retireOldAfterHours: 'never' },
      { kind: 'notified' },
      { step: 'completed' },
    ],
    [
      'retired → completed, with the evidence',
      { step: 'retire' },
      { kind: 'retired', evidence: 'no sign-in since' },
      { step: 'completed', retirement: { kind: 'decided', evidence: 'no sign-in since' } },
    ],
    [
      'old secret still signing in → stays in retire, checked again a day later',
      { step: 'retire' },
      { kind: 'retireDeferred', lastSignIn: '2026-11-22T08:00:00Z', resource: 'Microsoft Graph', holders: ['Key Vault secret old-copy'] },
      {
        step: 'retire',
        wakeAt: NOW.plus({ hours: 24 }).toISO()!,
        retirement: {
          kind: 'waiting',
          lastSignIn: '2026-11-22T08:00:00Z',
          resource: 'Microsoft Graph',
          holders: ['Key Vault secret old-copy'],
          since: NOW.toISO()!,
          nextCheckAt: NOW.plus({ hours: 24 }).toISO()!,
        },
      },
    ],
    ['old secret already gone → completed', { step: 'retire' }, { kind: 'alreadyRetired' }, { step: 'completed' }],
    [
      'transient failure → same step, 5 minutes later',
      { attempts: 2 },
      { kind: 'stepFailed', reason: 'HTTP 503', transient: true },
      { step: 'addSecret', attempts: 2, wakeAt: at(5) },
    ],
    [
      'transient failure on the last attempt → failed',
      { attempts: 3 },
      { kind: 'stepFailed', reason: 'HTTP 503', transient: true },
      { step: 'failed', failure: { step: 'addSecret', reason: 'HTTP 503' } },
    ],
    [
      'not verified yet → verify again later',
      { step: 'verify', attempts: 1 },
      { kind: 'notVerified', reason: 'refused', tries: 6 },
      { step: 'verify', wakeAt: at(5) },
    ],
    [
      'never verified → roll back',
      { step: 'verify', attempts: 3 },
      { kind: 'notVerified', reason: 'refused', tries: 6 },
      { step: 'rollBack', failure: { step: 'verify', reason: 'a token request with the new secret did not succeed: refused' } },
    ],
    [
      'rolled back → failed, keeping the reason',
      { step: 'rollBack', failure: { step: 'verify', reason: 'refused' } },
      { kind: 'rolledBack', removedKeyIds: ['new-key'], vault: 'restored', restoredVersion: 'v3' },
      { step: 'failed', failure: { step: 'verify', reason: 'refused' } },
    ],
    [
      'Key Vault write failed → failed',
      {},
      { kind: 'vaultWriteFailed', newKeyId: 'new-key', reason: 'HTTP 503', newSecretRemoved: true },
      {
        step: 'failed',
        failure: {
          step: 'addSecret',
          reason: 'Key Vault did not take the new secret (HTTP 503); the new Entra secret new-key was removed again',
        },
      },
    ],
    ['abandoned while adding → roll back', { attempts: 5 }, { kind: 'abandoned', reason: 'interrupted' }, { step: 'rollBack' }],
    [
      'retire refused → failed, asking for a person',
      { step: 'retire', attempts: 1 },
      { kind: 'stepFailed', reason: 'HTTP 403', transient: false },
      { step: 'failed', failure: { step: 'retire', reason: 'the old secret could not be removed (HTTP 403); remove it by hand' } },
    ],
  ])('%s', (_name, before, outcome, expected) => {
    const next = nextStep(rotation(before), outcome, NOW);
    expect(next).toMatchObject(expected);
    expect(next.leaseUntil).toBeUndefined();
    expect(next.history.at(-1)).toMatchObject({ at: at(0), step: before.step ?? 'addSecret', outcome: outcome.kind });
  });

  it('without an old secret, nothing is retired', () => {
    const withoutOld = rotation({ step: 'notify', oldCredential: undefined });
    expect(withoutOld.oldCredential).toBeUndefined();
    expect(nextStep(withoutOld, { kind: 'notified' }, NOW).step).toBe('completed');
  });

  it('claims a rotation for one run and tells due, waiting and leased apart', () => {
    const claimed = claim(rotation({ attempts: 0, leaseUntil: undefined as never }), NOW);
    expect(claimed).toMatchObject({ attempts: 1, leaseUntil: at(11) });
    expect(isLeased(claimed, NOW.plus({ minutes: 10 }))).toBe(true);
    expect(isLeased(claimed, NOW.plus({ minutes: 11 }))).toBe(false);
    expect(isDue(rotation({ wakeAt: at(5) }), NOW)).toBe(false);
    expect(isDue(rotation({ wakeAt: at(5) }), NOW.plus({ minutes: 5 }))).toBe(true);
  });
});
