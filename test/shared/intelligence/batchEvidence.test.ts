import { describe, expect, it } from 'vitest';
import { batchEvidence } from '../../../shared/intelligence/batchEvidence.js';
import type { CredentialEvidence, ScanIntelligence } from '../../../shared/intelligence/ScanIntelligence.js';
import { evaluateCredential } from '../../../shared/scanner/evaluateCredential.js';
import type { Finding } from '../../../shared/scanner/Finding.js';
import { NOW, facts, inDays, policy } from '../scanner/scannerFixtures.js';

/** App `i`'s client secret, ending in 10 days: a finding that asks for usage (by app id) and owners (by object id). */
const secretOf = (i: number, overrides: Parameters<typeof facts>[0] = {}): Finding =>
  evaluateCredential(
    facts({ objectId: `obj-${i}`, appId: `app-${i}`, keyId: `key-${i}`, subjectName: `App ${i}`, ...overrides }),
    policy,
    NOW,
  )!;

let next = 0;
/** A page of `apps` apps with a client secret each. */
const page = (apps: number): Finding[] => Array.from({ length: apps }, () => secretOf(next++));

interface Ask {
  appIds: readonly string[];
  objectIds: readonly string[];
}

/** Graph's side as the scan sees it: every app signed in yesterday and has one owner, or every ask is refused. */
function intelligence(answer: 'read' | 'refused' = 'read'): { intel: ScanIntelligence; asks: Ask[] } {
  const asks: Ask[] = [];
  const intel: ScanIntelligence = {
    context: () => Promise.reject(new Error('a first scan reads the context beside its first page, not here')),
    async evidence({ appIds, applicationObjectIds, read }): Promise<CredentialEvidence> {
      expect(read).toEqual({ kind: 'sampled' });
      asks.push({ appIds, objectIds: applicationObjectIds });
      if (answer === 'refused')
        return { usage: { kind: 'unavailable', reason: 'the tenant has no Microsoft Entra ID P1 or P2 licence' }, owners: undefined };
      const keyId = (appId: string) => appId.replace('app-', 'key-');
      const byKeyId = new Map(appIds.map((id) => [keyId(id), { keyId: keyId(id), lastSignIn: inDays(-1), resourceId: null }]));
      return { usage: { kind: 'read', byKeyId }, owners: new Map(applicationObjectIds.map((id) => [id, [`owner-of-${id}@contoso.com`]])) };
    },
    anticipate: () => undefined,
    recall: () => undefined,
    knownUsageReport: () => undefined,
  };
  return { intel, asks };
}

const options = { vaultEntries: [], unusedAfterDays: policy.unusedAfterDays, nowMs: NOW.toMillis() };

function batcher(intel: ScanIntelligence) {
  const taken: Finding[][] = [];
  const batch = batchEvidence(intel, options, async (judged) => void taken.push(judged));
  return { batch, taken, takenCount: () => taken.flat().length };
}

describe('first-scan evidence batched across pages', () => {
  it('asks for pages of 3, 7 and 9 apps with findings in one request of 15 and one of 4, not three of 3, 7 and 9', async () => {
    next = 0;
    const { intel, asks } = intelligence();
    const { batch, taken, takenCount } = batcher(intel);
    await batch.add(page(3));
    await batch.add(page(7));
    // Ten apps wait for a fuller request; their findings are not stored without their evidence.
    expect(asks).toEqual([]);
    expect(takenCount()).toBe(0);
    await batch.add(page(9));
    expect(asks.map((a) => [a.appIds.length, a.objectIds.length])).toEqual([[15, 15]]);
    expect(asks[0]!.appIds).toEqual(Array.from({ length: 15 }, (_, i) => `app-${i}`));
    expect(takenCount()).toBe(15);
    await batch.flush();
    expect(asks.map((a) => [a.appIds.length, a.objectIds.length])).toEqual([
      [15, 15],
      [4, 4],
    ]);
    // Every finding is handed on once, judged with its own evidence.
    const all = taken.flat();
    expect(all.map((f) => f.subjectName).sort()).toEqual(Array.from({ length: 19 }, (_, i) => `App ${i}`).sort());
    for (const f of all) {
      expect(f.usage).toEqual({ kind: 'used', lastSignIn: inDays(-1) });
      expect(f.impact?.owners).toEqual([`owner-of-${f.objectId}@contoso.com`]);
    }
  });

  it('keeps at most 14 apps of each kind waiting, however many pages go by', async () => {
    next = 0;
    const { intel, asks } = intelligence();
    const { batch, takenCount } = batcher(intel);
    let added = 0;
    for (const apps of [40, 1, 22, 13, 0, 31]) {
      await batch.add(page(apps));
      added += apps;
      expect(added - takenCount()).toBeLessThan(15);
    }
    await batch.flush();
    expect(takenCount()).toBe(added);
    // 107 apps: seven requests of 15 and one of 2.
    expect(asks.flatMap((a) => a.appIds).length).toBe(107);
    expect(asks.map((a) => a.appIds.length % 15 === 0).filter((full) => !full)).toHaveLength(1);
  });

  it('hands on at once what needs no evidence, and asks once for an app whose findings span pages', async () => {
    next = 0;
    const { intel, asks } = intelligence();
    const { batch, taken } = batcher(intel);
    const vaultSecret = evaluateCredential(
      facts({ subjectKind: 'vaultSecret', objectId: 'vault/secret', appId: null, keyId: 'v1', credentialType: 'password' }),
      policy,
      NOW,
    )!;
    const certificate = secretOf(1, { keyId: 'cert-1', credentialType: 'certificate' });
    await batch.add([vaultSecret, secretOf(1)]);
    expect(taken.flat()).toHaveLength(1);
    expect(taken[0]![0]!.subjectKind).toBe('vaultSecret');
    await batch.add([certificate]);
    await batch.flush();
    // App 1's secret and certificate: usage asked once for the app, owners once for its secret.
    expect(asks).toEqual([{ appIds: ['app-1'], objectIds: ['obj-1'] }]);
    expect(taken.flat()).toHaveLength(3);
  });

  it('stops asking once Graph refuses: one doomed request per kind for the whole scan, each finding saying why', async () => {
    next = 0;
    const { intel, asks } = intelligence('refused');
    const { batch, taken, takenCount } = batcher(intel);
    for (const apps of [20, 20, 20]) await batch.add(page(apps));
    await batch.flush();
    expect(asks).toHaveLength(1);
    expect(takenCount()).toBe(60);
    for (const f of taken.flat()) {
      expect(f.usage).toEqual({ kind: 'unknown', reason: 'the tenant has no Microsoft Entra ID P1 or P2 licence' });
      expect(f.impact?.owners).toBeNull();
    }
  });
});
