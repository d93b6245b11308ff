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

  it.each([
    ['a step past addSecret without its new secret', { step: 'notify', newCredential: undefined }, 'newCredential'],
    ['a retirement without its time', { retireAt: undefined }, 'retireAt'],
    ['a failed rotation without why', { step: 'failed' }, 'failure'],
    ['an unknown step', { step: 'testing' }, 'step'],
  ])('refuses %s, naming the row and the field', (_name, change, field) => {
    expect(() => readRotationRow(row({ ...firstReleaseRotation, ...change }))).toThrow(
      new RegExp(`^rotation row r\\|rot-1 cannot be read: .*${field}`),
    );
  });

  it('refuses text that is not JSON', () => {
    expect(() => readRotationRow({ rowKey: 'r|rot-2', data: '{"id":' })).toThrow(/^rotation row r\|rot-2 cannot be read: .*not valid JSON/);
  });
});
