import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { ApplicationInfo } from '../../../shared/rotation/RotationPorts.js';
import { planPolicyRotations, policyCandidates } from '../../../shared/rotation/planPolicyRotations.js';

const NOW = DateTime.fromISO('2026-11-23T06:00:00Z', { zone: 'utc' });
const inDays = (days: number) => NOW.plus({ days }).toISO()!;
const app = (appId: string, ...ends: Array<[string, number]>): ApplicationInfo => ({
  objectId: `o-${appId}`,
  appId,
  displayName: appId,
  createdDateTime: null,
  passwordCredentials: ends.map(([keyId, days]) => ({ keyId, displayName: keyId, endDateTime: inDays(days) })),
});
const V = 'https://vault.example';

describe('policyCandidates', () => {
  it('reads rules and opted-in secrets; a rule wins over tags for the same secret', () => {
    const candidates = policyCandidates([{ appId: 'app-1', vaultSecretName: 'creatio', withinDays: 30, lifetimeDays: 90 }], V, [
      { vaultUrl: V, name: 'creatio', tags: { 'vigil-app-id': 'app-1', 'vigil-rotate-within-days': '10' } },
      { vaultUrl: V, name: 'cerb', tags: { 'vigil-app-id': 'app-2', 'vigil-rotate-within-days': '14', 'vigil-key-id': 'k2' } },
      { vaultUrl: V, name: 'not-opted-in', tags: { 'vigil-app-id': 'app-3' } },
      { vaultUrl: V, name: 'nonsense', tags: { 'vigil-app-id': 'app-4', 'vigil-rotate-within-days': 'soon' } },
    ]);
    expect(candidates).toEqual([
      { source: 'rule', appId: 'app-1', vaultUrl: V, vaultSecretName: 'creatio', withinDays: 30, lifetimeDays: 90 },
      { source: 'tag', appId: 'app-2', vaultUrl: V, vaultSecretName: 'cerb', withinDays: 14, keyId: 'k2' },
    ]);
  });
});

describe('planPolicyRotations', () => {
  const apps = new Map([
    ['app-1', app('app-1', ['old', 5], ['fresh', 200])],
    ['app-2', app('app-2', ['k2', 13], ['other', 300])],
    ['app-3', app('app-3', ['only', 29])],
    ['app-4', app('app-4', ['only', 30])],
  ]);
  const candidate = (appId: string, withinDays: number, keyId?: string) => ({
    source: 'rule' as const,
    appId,
    vaultUrl: V,
    vaultSecretName: appId,
    withinDays,
    ...(keyId ? { keyId } : {}),
  });

  it.each([
    ['watches the longest-lived secret when no key is named: a fresh one exists, nothing to do', candidate('app-1', 30), undefined],
    ['rotates the named key with fewer days left than the threshold', candidate('app-2', 14, 'k2'), { keyId: 'k2', daysLeft: 13 }],
    ['29 days left under a 30-day threshold: due', candidate('app-3', 30), { keyId: 'only', daysLeft: 29 }],
    ['exactly 30 days left under a 30-day threshold: not yet', candidate('app-4', 30), undefined],
    ['a named key the app no longer has: nothing to rotate', candidate('app-2', 14, 'gone'), undefined],
    ['an app Vigil could not read: skipped', candidate('app-9', 14), undefined],
  ])('%s', (_name, c, expected) => {
    const { due } = planPolicyRotations([c], apps, NOW, 180);
    if (!expected) expect(due).toEqual([]);
    else expect(due.map((d) => ({ keyId: d.credential.keyId, daysLeft: d.daysLeft }))).toEqual([expected]);
  });

  it('starts at most one rotation per app', () => {
    expect(
      planPolicyRotations([candidate('app-3', 30), { ...candidate('app-3', 60), vaultSecretName: 'copy' }], apps, NOW, 180).due,
    ).toHaveLength(1);
  });

  it("refuses a threshold at or beyond the new secret's lifetime: the new secret would be due at once, every run", () => {
    const plan = planPolicyRotations(
      [candidate('app-3', 180), { ...candidate('app-3', 60), lifetimeDays: 60 }, { ...candidate('app-3', 59), lifetimeDays: 60 }],
      apps,
      NOW,
      180,
    );
    expect(plan.misconfigured.map((c) => c.withinDays)).toEqual([180, 60]);
    expect(plan.due.map((d) => d.candidate.withinDays)).toEqual([59]);
  });
});
