import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { advanceRotation } from '../../../shared/rotation/advanceRotation.js';
import type { RotationDeps } from '../../../shared/rotation/RotationPorts.js';
import { requestRotation, type RequestContext } from '../../../shared/rotation/requestRotation.js';
import type { Rotation } from '../../../shared/rotation/Rotation.js';
import { rotationRequestSchema } from '../../../shared/rotation/rotationRequestSchema.js';
import { APP, fakeDeps, fakeVault, OLD_KEY, OLD_SECRET, TENANT, VAULT_URL } from './fakeRotationDeps.js';

const NOW = DateTime.fromISO('2026-11-23T06:00:00.000Z', { zone: 'utc' });
const context: RequestContext = {
  requester: { kind: 'caller', id: 'ops-app', name: 'Ops CLI' },
  actor: { kind: 'caller', appId: 'ops-app', name: 'Ops CLI' },
  tenants: [TENANT],
  vaultUrls: [VAULT_URL],
  defaults: { lifetimeDays: 180, retireOldAfterHours: 168 },
};
const body = (extra: Record<string, unknown> = {}) =>
  rotationRequestSchema.parse({ tenantId: TENANT, appId: APP.appId, vaultSecretName: 'creatio', ...extra });

async function start(deps: RotationDeps, extra: Record<string, unknown> = {}): Promise<Rotation> {
  const outcome = await requestRotation(body(extra), context, deps, NOW);
  if (outcome.kind !== 'accepted') throw new Error(`not accepted: ${outcome.kind}`);
  return outcome.rotation;
}

/** The deps with an addPassword that adds the secret in Entra, then comes to `then` instead of its answer. */
function afterAdding(deps: RotationDeps, then: () => ReturnType<RotationDeps['credentials']['addPassword']>): RotationDeps {
  const real = deps.credentials.addPassword;
  return { ...deps, credentials: { ...deps.credentials, addPassword: async (...args) => (await real(...args), then()) } };
}

/**
 * The deps with an addPassword that adds the secret, then reports that its answer never came. The reason is a literal
 * in the Graph adapter's words, which the rotation only passes on: a change of that wording does not fail these tests
 * (the adapter's own tests check its words); a rotation that dropped or rewrote the reason does.
 */
const unansweredAdding = (deps: RotationDeps): RotationDeps =>
  afterAdding(deps, async () => ({
    kind: 'mayHaveAdded' as const,
    reason: 'Graph addPassword: the connection to Graph failed (ECONNRESET)',
  }));

describe('a rotation through the state machine', () => {
  it('adds, stores, verifies and notifies, then retires the old secret after the grace period', async () => {
    const f = fakeDeps({ now: NOW.plus({ days: 10 }).toISO()! });
    const rotation = await start(f.deps);
    expect(rotation).toMatchObject({
      oldCredential: { keyId: OLD_KEY },
      vault: { previousVersion: 'v1' },
      routing: { downstream: 'Creatio' },
    });
    expect(f.queued).toEqual([rotation.id]);

    const first = await advanceRotation(rotation.id, f.deps, NOW);
    expect(first).toMatchObject({ kind: 'waiting', rotation: { step: 'retire', retireAt: '2026-11-30T06:00:00.000Z' } });
    const added = f.credentials.credentials.filter((c) => c.keyId !== OLD_KEY);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ displayName: `vigil:${rotation.id} by Ops CLI`, endDateTime: '2027-05-22T06:00:00.000Z' });
    expect(f.secrets.versions.at(-1)).toMatchObject({
      version: 'v2',
      value: added[0]!.secret,
      tags: {
        'vigil-app-id': APP.appId,
        'vigil-key-id': added[0]!.keyId,
        'vigil-expires': '2027-05-22T06:00:00.000Z',
        'vigil-rotation-id': rotation.id,
        'vigil-downstream': 'Creatio',
      },
    });
    expect(f.events.map((e) => e.type)).toEqual(['credential.rotated', 'rotation.completed']);
    expect(first.rescan).toEqual({ kind: 'queued' });
    expect(f.scans).toEqual([TENANT.toLowerCase()]);
    expect(f.events[0]).toMatchObject({
      data: {
        keyId: OLD_KEY,
        replacedBy: added[0]!.keyId,
        vaultSecretVersion: 'v2',
        vaultCopy: { vaultUrl: VAULT_URL, secretName: 'creatio' },
      },
      routing: { downstream: 'Creatio' },
    });
    expect(JSON.stringify(f.events)).not.toContain(added[0]!.secret);
    expect(await f.deps.store.lockHolder(TENANT, APP.objectId)).toBeUndefined();

    expect(await advanceRotation(rotation.id, f.deps, NOW.plus({ hours: 167 }))).toMatchObject({ kind: 'waiting' });
    expect(await advanceRotation(rotation.id, f.deps, NOW.plus({ hours: 168 }))).toMatchObject({
      kind: 'finished',
      rotation: { step: 'completed' },
    });
    expect(f.credentials.credentials.map((c) => c.keyId)).toEqual([added[0]!.keyId]);
    expect(f.scans).toEqual([TENANT.toLowerCase(), TENANT.toLowerCase()]);
    expect(f.audit.map((a) => `${a.action}:${a.outcome}`)).toEqual([
      'rotation.request:accepted',
      'rotation.addSecret:secretStored',
      'rotation.verify:verified',
      'rotation.notify:notified',
      'scan.request:queued',
      'rotation.retire:retired',
      'scan.request:queued',
    ]);
    expect(f.audit.filter((a) => a.action === 'scan.request')[0]).toMatchObject({
      actor: { kind: 'vigil', name: `Vigil, after rotation ${rotation.id}` },
      target: TENANT.toLowerCase(),
    });
  });

  it('waits out replication delay with the injected sleep', async () => {
    const f = fakeDeps({ now: NOW.toISO()!, refuseFirst: 2 });
    const rotation = await start(f.deps, { retireOldAfterHours: 'never' });
    expect(await advanceRotation(rotation.id, f.deps, NOW)).toMatchObject({ kind: 'finished', rotation: { step: 'completed' } });
    expect(f.sleeps).toEqual([2000, 4000]);
    expect(f.credentials.credentials.map((c) => c.keyId)).toContain(OLD_KEY);
  });

  it('a rotation that completes with the scan queue down still completes, and says the rescan was not queued', async () => {
    const f = fakeDeps({ now: NOW.toISO()! });
    f.deps.scans.queue = { enqueue: () => Promise.reject(Object.assign(new Error('queue down'), { statusCode: 503 })) };
    const rotation = await start(f.deps, { retireOldAfterHours: 0 });
    const result = await advanceRotation(rotation.id, f.deps, NOW);
    expect(result).toMatchObject({ kind: 'finished', rotation: { step: 'completed' } });
    expect(result.rescan).toEqual({ kind: 'failed', reason: 'the scan queue could not be reached (HTTP 503)' });
    expect(f.credentials.credentials.map((c) => c.keyId)).not.toContain(OLD_KEY);
    expect(f.audit.filter((a) => a.action === 'scan.request').map((a) => a.outcome)).toEqual(['unavailable']);
  });

  it('after a crash between addPassword and Key Vault, removes the orphan and makes one new secret', async () => {
    const f = fakeDeps({ now: NOW.toISO()! });
    const rotation = await start(f.deps);
    const crashing = afterAdding(f.deps, () => Promise.reject(new Error('process died')));
    await expect(advanceRotation(rotation.id, crashing, NOW)).rejects.toThrow('process died');
    const orphan = f.credentials.credentials.find((c) => c.keyId !== OLD_KEY)!;

    expect(await advanceRotation(rotation.id, f.deps, NOW.plus({ minutes: 5 }))).toMatchObject({ kind: 'busy' });
    const resumed = await advanceRotation(rotation.id, f.deps, NOW.plus({ minutes: 12 }));
    expect(resumed).toMatchObject({ kind: 'waiting', rotation: { step: 'retire' } });
    const ours = f.credentials.credentials.filter((c) => c.keyId !== OLD_KEY);
    expect(ours).toHaveLength(1);
    expect(ours[0]!.keyId).not.toBe(orphan.keyId);
    expect(resumed.kind !== 'notFound' && resumed.rotation.history.find((h) => h.outcome === 'secretStored')?.detail).toContain(
      `removed orphans ${orphan.keyId}`,
    );
  });

  it('after a crash once Key Vault had the secret, adopts it instead of making another', async () => {
    const f = fakeDeps({ now: NOW.toISO()! });
    const rotation = await start(f.deps);
    const realWrite = f.deps.secrets.write;
    const crashing = {
      ...f.deps,
      secrets: {
        ...f.deps.secrets,
        write: async (...args: Parameters<typeof realWrite>) => (await realWrite(...args), Promise.reject(new Error('process died'))),
      },
    };
    await expect(advanceRotation(rotation.id, crashing, NOW)).rejects.toThrow('process died');
    await advanceRotation(rotation.id, f.deps, NOW.plus({ minutes: 12 }));
    expect(f.credentials.credentials.filter((c) => c.keyId !== OLD_KEY)).toHaveLength(1);
    expect(f.secrets.versions).toHaveLength(2);
    expect((await f.deps.store.get(rotation.id))?.rotation.history.find((h) => h.outcome === 'secretStored')?.detail).toMatch(/adopted/);
  });

  it('when Key Vault refuses the secret, removes the new Entra secret, alerts and frees the app', async () => {
    const vault = fakeVault({ value: OLD_SECRET, tags: {} });
    vault.failWrites = true;
    const f = fakeDeps({ now: NOW.toISO()!, vault });
    const rotation = await start(f.deps, { keyId: OLD_KEY });
    expect(await advanceRotation(rotation.id, f.deps, NOW)).toMatchObject({
      kind: 'finished',
      rotation: { step: 'failed', failure: { step: 'addSecret' } },
    });
    expect(f.credentials.credentials.map((c) => c.keyId)).toEqual([OLD_KEY]);
    expect(f.events.map((e) => [e.type, e.severity])).toEqual([['rotation.failed', 'high']]);
    expect(f.scans).toEqual([]);
    expect(f.events[0]!.summary).toMatch(/Key Vault did not take the new secret .*was removed again/);
    expect((await requestRotation(body(), context, f.deps, NOW)).kind).toBe('accepted');
  });

  it('an addPassword that got no answer is tried again, its possible secret removed; after the last try, the roll-back removes it', async () => {
    const f = fakeDeps({ now: NOW.toISO()! });
    const rotation = await start(f.deps);
    // Graph added the secret, and the connection failed before its answer came back.
    const unanswered = unansweredAdding(f.deps);
    const first = await advanceRotation(rotation.id, unanswered, NOW);
    expect(first).toMatchObject({ kind: 'waiting', rotation: { step: 'addSecret', wakeAt: '2026-11-23T06:05:00.000Z' } });
    await advanceRotation(rotation.id, unanswered, NOW.plus({ minutes: 5 }));
    const third = await advanceRotation(rotation.id, unanswered, NOW.plus({ minutes: 10 }));
    const marker = `vigil:${rotation.id} by Ops CLI`;
    // Each try removed the one before it left; the last one's waits for the roll-back, after Graph's read lag.
    expect(f.credentials.credentials.filter((c) => c.keyId !== OLD_KEY).map((c) => c.displayName)).toEqual([marker]);
    expect(third).toMatchObject({ kind: 'waiting', rotation: { step: 'rollBack', wakeAt: '2026-11-23T06:12:00.000Z' } });

    const last = await advanceRotation(rotation.id, unanswered, NOW.plus({ minutes: 12 }));
    expect(last).toMatchObject({ kind: 'finished', rotation: { step: 'failed', failure: { step: 'addSecret' } } });
    expect(last.kind !== 'notFound' && last.rotation.step === 'failed' && last.rotation.failure.reason).toBe(
      `Graph addPassword: the connection to Graph failed (ECONNRESET): whether Graph added the secret "${marker}" is unknown`,
    );
    expect(f.credentials.credentials.map((c) => c.keyId)).toEqual([OLD_KEY]);
    expect(f.secrets.versions.map((v) => v.value)).toEqual([OLD_SECRET]);
    expect(f.events.map((e) => e.type)).toEqual(['rotation.failed']);
  });

  it('when the roll-back after an unanswered addPassword cannot remove the secret, the failure asks a person to', async () => {
    const f = fakeDeps({ now: NOW.toISO()! });
    const rotation = await start(f.deps);
    const unanswered = unansweredAdding(f.deps);
    const stuck = {
      ...unanswered,
      credentials: {
        ...unanswered.credentials,
        removePassword: async () => ({ kind: 'failed' as const, reason: 'Graph removePassword: HTTP 403', transient: false }),
      },
    };
    await advanceRotation(rotation.id, unanswered, NOW);
    await advanceRotation(rotation.id, unanswered, NOW.plus({ minutes: 5 }));
    await advanceRotation(rotation.id, unanswered, NOW.plus({ minutes: 10 }));
    const last = await advanceRotation(rotation.id, stuck, NOW.plus({ minutes: 12 }));
    const marker = `vigil:${rotation.id}`;
    expect(last).toMatchObject({ kind: 'finished', rotation: { step: 'failed', failure: { step: 'addSecret' } } });
    expect(f.credentials.credentials.filter((c) => c.keyId !== OLD_KEY).map((c) => c.displayName)).toEqual([`${marker} by Ops CLI`]);
    expect(f.events[0]!.summary).toContain(`rolling back did not finish`);
    expect(f.events[0]!.summary).toContain(`check by hand the app's client secrets (remove any named "${marker} by …")`);
  });

  it('when the new secret never works, rolls back: old secret kept, vault value restored, alert sent', async () => {
    const f = fakeDeps({ now: NOW.toISO()!, refuseFirst: 1000 });
    const rotation = await start(f.deps);
    expect(await advanceRotation(rotation.id, f.deps, NOW)).toMatchObject({
      kind: 'waiting',
      rotation: { step: 'verify', wakeAt: '2026-11-23T06:05:00.000Z' },
    });
    await advanceRotation(rotation.id, f.deps, NOW.plus({ minutes: 5 }));
    const last = await advanceRotation(rotation.id, f.deps, NOW.plus({ minutes: 10 }));
    expect(last).toMatchObject({ kind: 'finished', rotation: { step: 'failed', failure: { step: 'verify' } } });
    expect(f.credentials.credentials.map((c) => c.keyId)).toEqual([OLD_KEY]);
    expect(f.secrets.versions.map((v) => v.value)).toEqual([OLD_SECRET, expect.any(String), OLD_SECRET]);
    expect(f.events.map((e) => e.type)).toEqual(['rotation.failed']);
  });

  it('a token probe Vigil could not make rolls back at once, naming the fault, without waiting out replication delay', async () => {
    const f = fakeDeps({ now: NOW.toISO()! });
    const rotation = await start(f.deps);
    const reason =
      "Vigil could not make its token request to check the new secret (TypeError): a fault in Vigil or its settings, not Entra's";
    const faulty = { ...f.deps, probe: { request: async () => ({ kind: 'failed' as const, reason, transient: false }) } };
    const result = await advanceRotation(rotation.id, faulty, NOW);
    expect(result).toMatchObject({ kind: 'finished', rotation: { step: 'failed', failure: { step: 'verify', reason } } });
    expect(f.sleeps).toEqual([]);
    expect(f.credentials.credentials.map((c) => c.keyId)).toEqual([OLD_KEY]);
    expect(f.events.map((e) => e.type)).toEqual(['rotation.failed']);
  });

  it('gives up on a step that keeps dying and rolls back', async () => {
    const f = fakeDeps({ now: NOW.toISO()! });
    const rotation = await start(f.deps);
    const dying = { ...f.deps, probe: { request: () => Promise.reject(new Error('process died')) } };
    let now = NOW;
    await expect(advanceRotation(rotation.id, dying, now)).rejects.toThrow();
    for (let i = 0; i < 3; i++) {
      now = now.plus({ minutes: 12 });
      await expect(advanceRotation(rotation.id, dying, now)).rejects.toThrow();
    }
    const result = await advanceRotation(rotation.id, dying, now.plus({ minutes: 12 }));
    expect(result).toMatchObject({
      kind: 'finished',
      rotation: { step: 'failed', failure: { reason: 'step verify was interrupted 4 times' } },
    });
    expect(f.credentials.credentials.map((c) => c.keyId)).toEqual([OLD_KEY]);
  });
});

describe('requesting a rotation', () => {
  it('a dry run plans without changing anything', async () => {
    const f = fakeDeps({ now: NOW.toISO()! });
    const outcome = await requestRotation(body({ dryRun: true, lifetimeDays: 90 }), context, f.deps, NOW);
    expect(outcome).toMatchObject({ kind: 'dryRun', rotation: { step: 'addSecret', lifetimeDays: 90, oldCredential: { keyId: OLD_KEY } } });
    expect(f.queued).toEqual([]);
    expect(await f.deps.store.listOpen()).toEqual([]);
    expect(f.credentials.credentials).toHaveLength(1);
  });

  it('one rotation per app at a time; the same Idempotency-Key gives the same rotation', async () => {
    const f = fakeDeps({ now: NOW.toISO()! });
    const keyed = { ...context, idempotencyKey: 'k-1' };
    const first = await requestRotation(body(), keyed, f.deps, NOW);
    expect(first.kind).toBe('accepted');
    const id = first.kind === 'accepted' ? first.rotation.id : '';
    expect(await requestRotation(body(), keyed, f.deps, NOW)).toMatchObject({ kind: 'replayed', rotation: { id } });
    expect(await requestRotation(body({ lifetimeDays: 30 }), keyed, f.deps, NOW)).toEqual({ kind: 'idempotencyMismatch', rotationId: id });
    expect(await requestRotation(body(), context, f.deps, NOW)).toEqual({ kind: 'conflict', rotationId: id });
    expect(await requestRotation(body({ dryRun: true }), context, f.deps, NOW)).toEqual({ kind: 'conflict', rotationId: id });
  });

  it('names the field when the request cannot be carried out', async () => {
    const f = fakeDeps({ now: NOW.toISO()! });
    expect(await requestRotation(body({ keyId: 'e0000000-0000-4000-8000-000000000009' }), context, f.deps, NOW)).toMatchObject({
      kind: 'invalid',
      field: 'keyId',
    });
    expect(await requestRotation(body({ tenantId: '22222222-2222-4222-8222-222222222222' }), context, f.deps, NOW)).toMatchObject({
      kind: 'invalid',
      field: 'tenantId',
    });
    expect(await requestRotation(body({ vaultUrl: 'https://other.vault.example' }), context, f.deps, NOW)).toMatchObject({
      kind: 'invalid',
      field: 'vaultUrl',
    });
    expect(await requestRotation(body({ appId: 'e0000000-0000-4000-8000-000000000009' }), context, f.deps, NOW)).toEqual({
      kind: 'appNotFound',
    });
  });
});
