import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { VigilApi } from '../../../cli/adapters/createVigilApi.js';
import type { RotationItem } from '../../../cli/apiSchemas.js';
import type { CommandContext } from '../../../cli/commands/CommandContext.js';
import { followRotation } from '../../../cli/commands/runRotate.js';

const now = DateTime.fromISO('2026-12-04T10:00:00Z', { zone: 'utc' });
const rotation = (status: string, history: RotationItem['history'], over: Partial<RotationItem> = {}): RotationItem => ({
  id: 'rot-1',
  status,
  dryRun: false,
  tenantId: 't',
  application: { appId: 'a', displayName: 'Creatio CRM' },
  oldCredential: null,
  newCredential: null,
  lifetimeDays: 180,
  retireOldAfterHours: 168,
  vault: { url: 'https://kv.vault.azure.net', secretName: 'creatio', version: null },
  retireAt: null,
  nextAttemptAt: null,
  failure: null,
  history,
  ...over,
});
const step = (at: string, name: string, outcome = 'done') => ({ at: `2026-12-04T${at}Z`, step: name, outcome });

/** The rotation as Vigil answers it poll after poll; the API is the module boundary. */
function following(answers: RotationItem[]) {
  const out: string[] = [];
  const err: string[] = [];
  const sleeps: number[] = [];
  const api: VigilApi = {
    call: async () => ({ kind: 'ok', status: 200, body: answers.shift(), location: undefined }),
    list: async () => ({ kind: 'ok', items: [], pages: [] }),
  };
  const ctx: CommandContext = {
    api,
    json: false,
    intervalSeconds: 5,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    now: () => now,
    sleep: async (ms) => void sleeps.push(ms),
    describe: () => [],
    fail: () => 1,
  };
  return { ctx, out, err, sleeps };
}

describe('followRotation', () => {
  it('prints each step once as it is recorded, until the rotation completes', async () => {
    const one = [step('10:00:01', 'addSecret')];
    const two = [...one, step('10:00:03', 'verify'), step('10:00:04', 'notify')];
    const { ctx, out, sleeps } = following([rotation('notify', two), rotation('completed', [...two, step('10:00:09', 'retire')])]);
    expect(await followRotation(rotation('verify', one), ctx)).toBe(0);
    expect(out).toEqual([
      'Rotation rot-1 of Creatio CRM (a): verify',
      '  10:00:01Z addSecret done',
      '  10:00:03Z verify    done',
      '  10:00:04Z notify    done',
      '  10:00:09Z retire    done',
      'Rotation rot-1 completed: the new secret is in https://kv.vault.azure.net secret creatio.',
    ]);
    expect(sleeps).toEqual([5000, 5000]);
  });

  it('stops at the grace period before the old secret is removed, saying when', async () => {
    const waiting = rotation('retire', [step('10:00:01', 'notify')], { retireAt: '2026-12-11T10:00:00.000Z' });
    const { ctx, out, sleeps } = following([]);
    expect(await followRotation(waiting, ctx)).toBe(0);
    expect(out.at(-1)).toContain('The old one is removed after 2026-12-11T10:00:00.000Z');
    expect(sleeps).toEqual([]);
  });

  it('exits 1 with the reason when the rotation fails', async () => {
    const failed = rotation('failed', [step('10:00:01', 'verify', 'failed')], {
      failure: { step: 'verify', reason: 'Entra refused the new secret' },
    });
    const { ctx, out } = following([failed]);
    expect(await followRotation(rotation('verify', []), ctx)).toBe(1);
    expect(out.at(-1)).toBe('Rotation rot-1 FAILED at verify: Entra refused the new secret');
  });
});
