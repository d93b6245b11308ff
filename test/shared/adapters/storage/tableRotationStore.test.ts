import { describe, expect, it } from 'vitest';
import { readRotationRow } from '../../../../shared/adapters/storage/tableRotationStore.js';

const newKey = { keyId: 'new-key', displayName: 'vigil:rot-1 by Ops CLI', endDateTime: '2027-05-22T06:00:00.000Z' };
const oldKey = { keyId: 'old-key', displayName: 'prod', endDateTime: '2026-12-03T06:00:00.000Z' };

/** A rotation as the first release stored it: no `policy`, no `retirement`. */
const firstReleaseRotation = {
  id: 'rot-1',
  tenantId: 't',
  application: { objectId: 'o', appId: 'a', displayName: 'Creatio CRM' },
  oldCredential: oldKey,
  lifetimeDays: 180,
  retireOldAfterHours: 168,
  vault: { url: 'https://v.vault.azure.net', secretName: 'creatio', previousVersion: 'v1', tags: {} },
  routing: { owner: 'ops@contoso.com' },
  requestedBy: { kind: 'caller', id: 'ops-app', name: 'Ops CLI' },
  requestedAt: '2026-11-23T06:00:00.000Z',
  step: 'retire',
  attempts: 0,
  wakeAt: '2026-11-30T06:00:00.000Z',
  newCredential: newKey,
  vaultVersion: 'v2',
  retireAt: '2026-11-30T06:00:00.000Z',
  history: [{ at: '2026-11-23T06:00:00.000Z', step: 'addSecret', outcome: 'planned' }],
  updatedAt: '2026-11-23T06:00:00.000Z',
};
const row = (rotation: object) => ({ partitionKey: 'rotation', rowKey: 'r|rot-1', kind: 'rotation', data: JSON.stringify(rotation) });

describe('readRotationRow', () => {
  it('reads a rotation stored before policies and retirement evidence were recorded', () => {
    const rotation = readRotationRow(row(firstReleaseRotation));
    expect(rotation).toEqual(firstReleaseRotation);
    expect(rotation.step === 'retire' && rotation.oldCredential.keyId).toBe('old-key');
  });

  it('reads back every field a rotation holds, at every step', () => {
    const full = {
      ...firstReleaseRotation,
      policy: { kind: 'read', maxLifetimeDays: 90, by: 'Contoso default', requestedLifetimeDays: 180 },
      routing: { owner: 'ops@contoso.com', team: 'Service desk', downstream: 'Creatio' },
      leaseUntil: '2026-11-23T06:05:00.000Z',
      history: [{ at: '2026-11-23T06:00:00.000Z', step: 'addSecret', outcome: 'planned', detail: 'by Ops CLI' }],
    };
    const retirement = {
      kind: 'waiting',
      lastSignIn: '2026-11-29T06:00:00.000Z',
      resource: 'Microsoft Graph',
      holders: ['https://v.vault.azure.net/secrets/creatio-copy'],
      since: '2026-11-23T06:00:00.000Z',
      nextCheckAt: '2026-12-01T06:00:00.000Z',
    };
    const failure = { step: 'verify', reason: 'AADSTS7000215' };
    const { newCredential: _n, vaultVersion: _v, retireAt: _r, ...planned } = full;
    for (const rotation of [
      { ...planned, step: 'addSecret' },
      { ...planned, step: 'verify', newCredential: newKey, vaultVersion: 'v2' },
      { ...full, retirement },
      { ...planned, step: 'rollBack', newCredential: newKey, vaultVersion: 'v2', failure },
      { ...full, step: 'completed', retirement: { kind: 'decided', evidence: 'no sign-in for 7 days' } },
      { ...full, step: 'failed', retirement, failure },
    ])
      expect(readRotationRow(row(rotation))).toEqual(rotation);
  });

  it.each([
    ['a step past addSecret without its new secret', { step: 'notify', newCredential: undefined }, 'newCredential'],
    ['a retirement without its time', { retireAt: undefined }, 'retireAt'],
    ['a failed rotation without why', { step: 'failed' }, 'failure'],
    ['an unknown step', { step: 'testing' }, 'step'],
    ['a step carrying what it cannot have', { step: 'verify', retireAt: undefined, failure: { step: 'verify', reason: 'x' } }, 'failure'],
  ])('refuses %s, naming the row and the field', (_name, change, field) => {
    expect(() => readRotationRow(row({ ...firstReleaseRotation, ...change }))).toThrow(
      new RegExp(`^rotation row r\\|rot-1 cannot be read: .*${field}`),
    );
  });

  it('refuses text that is not JSON', () => {
    expect(() => readRotationRow({ rowKey: 'r|rot-2', data: '{"id":' })).toThrow(/^rotation row r\|rot-2 cannot be read: .*not valid JSON/);
  });
});
