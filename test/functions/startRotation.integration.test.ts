import { ClientSecretCredential } from '@azure/identity';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRotation } from '../../functions/getRotation.js';
import { startRotation } from '../../functions/startRotation.js';
import { openApiDocument } from '../../shared/api/openApiDocument.js';
import { advanceRotation } from '../../shared/rotation/advanceRotation.js';
import type { RotationDeps } from '../../shared/rotation/RotationPorts.js';
import { expiring } from '../shared/notifications/notificationFixtures.js';
import { TENANT, VAULT } from '../support/testScenario.js';
import { startRotationStack, type RotationStack } from './rotationStack.js';

let r: RotationStack;
let token: string;
const observed: Array<[string, string, number]> = [];
beforeAll(async () => {
  r = await startRotationStack();
  token = await r.token('Ops CLI');
});
afterAll(async () => r?.stack.stop());

type Credential = { keyId: string; displayName: string | null; endDateTime: string };
const creatio = () => r.stack.cloud.context.store.application(r.appId('Creatio CRM'))!.app;
const secretsOf = (app: string): Credential[] => r.stack.cloud.context.store.application(r.appId(app))!.app.passwordCredentials;
const vault = () => r.stack.secretClient(VAULT);
const request = (extra: Record<string, unknown> = {}) => ({
  tenantId: TENANT,
  appId: r.appId('Creatio CRM'),
  vaultSecretName: 'creatio-client-secret',
  ...extra,
});
const post = async (body: unknown, headers: Record<string, string> = {}) => {
  const response = await r.call(startRotation, { method: 'POST', path: 'rotations', token, body, headers });
  observed.push(['post', '/rotations', response.status]);
  return response;
};
const get = async (id: string) => {
  const response = await r.call(getRotation, { method: 'GET', path: `rotations/${id}`, params: { id }, token });
  observed.push(['get', '/rotations/{id}', response.status]);
  return response;
};
const versions = async (name: string) => {
  const all = [];
  for await (const v of vault().listPropertiesOfSecretVersions(name)) all.push(v);
  return all;
};

describe('POST /api/rotations against the local cloud', () => {
  it('answers 400 naming the field for a malformed body', async () => {
    expect((await post(request({ lifetimeDays: 1000 }))).body).toMatchObject({
      status: 400,
      errors: [{ field: 'lifetimeDays', message: expect.stringMatching(/730/) }],
    });
    expect((await post({ tenantId: TENANT, appId: r.appId('Creatio CRM') })).body).toMatchObject({
      errors: [{ field: 'vaultSecretName' }],
    });
    expect((await post(request({ objectId: creatio().id }))).body).toMatchObject({
      errors: [{ field: 'appId', message: 'give exactly one of appId and objectId' }],
    });
    expect((await post(request({ colour: 'blue' }))).body).toMatchObject({ errors: [{ field: 'colour', message: 'Unknown field' }] });
    expect((await post('{not json')).status).toBe(400);
    expect((await post(request({ keyId: '00000000-0000-4000-8000-000000000000' }))).body).toMatchObject({
      status: 422,
      errors: [{ field: 'keyId' }],
    });
  });

  it('with dryRun reports the plan and changes nothing', async () => {
    const before = JSON.stringify(creatio().passwordCredentials);
    const response = await post(request({ dryRun: true, lifetimeDays: 90 }));
    expect(response).toMatchObject({
      status: 200,
      body: {
        dryRun: true,
        status: 'addSecret',
        lifetimeDays: 90,
        retireOldAfterHours: 168,
        newCredential: null,
        vault: { secretName: 'creatio-client-secret' },
      },
    });
    expect(JSON.stringify(creatio().passwordCredentials)).toBe(before);
    expect(await versions('creatio-client-secret')).toHaveLength(1);
    expect(await r.runtime.rotation.store.lockHolder(TENANT, creatio().id)).toBeUndefined();
  });

  it('rotates Creatio: new secret in Entra and Key Vault, verified, one recovery notice, old secret retired after the grace period', async () => {
    const old = creatio().passwordCredentials.find((c) => c.displayName === 'current')!;
    await r.runtime.events.publish([
      expiring({ app: 'Creatio CRM', appObjectId: creatio().id, keyId: old.keyId, daysLeft: 10, now: DateTime.utc() }),
    ]);
    await r.drain();
    const webhooksBefore = r.stack.cloud.context.store.data.webhooks.length;

    const accepted = await post(request({ keyId: old.keyId }), { 'idempotency-key': 'creatio-2026-11' });
    expect(accepted.status).toBe(202);
    const id = accepted.body['id'] as string;
    expect(accepted.headers['location']).toBe(`/api/rotations/${id}`);
    expect((await post(request({ keyId: old.keyId }), { 'idempotency-key': 'creatio-2026-11' })).body['id']).toBe(id);
    expect(await post(request({ keyId: old.keyId }))).toMatchObject({ status: 409, body: { rotationId: id } });
    await r.drain();

    const progress = await get(id);
    expect(progress).toMatchObject({ status: 200, body: { status: 'retire', oldCredential: { keyId: old.keyId }, failure: null } });
    const newKey = (progress.body['newCredential'] as Credential).keyId;
    const added = creatio().passwordCredentials.find((c) => c.keyId === newKey)!;
    expect(added.displayName).toBe(`vigil:${id} by ${r.appId('Ops CLI')}`);
    const stored = await vault().getSecret('creatio-client-secret');
    expect(stored.properties.tags).toMatchObject({
      'vigil-app-id': r.appId('Creatio CRM'),
      'vigil-key-id': newKey,
      'vigil-expires': added.endDateTime,
      'vigil-rotation-id': id,
      'vigil-owner': 'ops@contoso.onmicrosoft.com',
    });
    const login = r.stack.cloud.endpoints.clouds.global!.login;
    const withNew = new ClientSecretCredential(TENANT, r.appId('Creatio CRM'), stored.value!, {
      authorityHost: login,
      disableInstanceDiscovery: true,
    });
    expect((await withNew.getToken('https://graph.microsoft.com/.default'))?.token).toBeTruthy();

    const recoveries = r.stack.cloud.context.store.data.webhooks
      .slice(webhooksBefore)
      .map((w) => JSON.parse(w.body) as { vigilreason: string; data: { type: string; data: Record<string, unknown> } });
    expect(recoveries.filter((w) => w.vigilreason === 'recovered').map((w) => w.data.type)).toEqual(['credential.rotated']);
    expect(recoveries[0]!.data.data).toMatchObject({
      keyId: old.keyId,
      replacedBy: newKey,
      vaultSecretVersion: stored.properties.version,
      vaultCopy: { secretName: 'creatio-client-secret' },
    });
    const { mail, teams, webhooks } = r.stack.cloud.context.store.data;
    expect(JSON.stringify({ mail, teams, webhooks })).not.toContain(stored.value!);

    expect(creatio().passwordCredentials.some((c) => c.keyId === old.keyId)).toBe(true);
    const retired = await advanceRotation(id, r.runtime.rotation, DateTime.utc().plus({ days: 7, minutes: 1 }));
    expect(retired).toMatchObject({ kind: 'finished', rotation: { step: 'completed' } });
    expect(creatio().passwordCredentials.some((c) => c.keyId === old.keyId)).toBe(false);

    const trail = [
      ...(await r.runtime.api.audit.list(DateTime.utc().toISODate())),
      ...(await r.runtime.api.audit.list(DateTime.utc().plus({ days: 7, minutes: 1 }).toISODate())),
    ].filter((a) => a.rotationId === id);
    expect(trail.map((a) => `${a.action}:${a.outcome}`)).toEqual(
      expect.arrayContaining([
        'rotation.request:accepted',
        'rotation.addSecret:secretStored',
        'rotation.verify:verified',
        'rotation.notify:notified',
        'rotation.retire:retired',
      ]),
    );
    expect(JSON.stringify(trail)).not.toContain(stored.value!);
    expect(JSON.stringify(await r.runtime.rotation.store.get(id))).not.toContain(stored.value!);
  });

  it('after a crash right after addPassword, the next run removes the orphan and makes exactly one new secret', async () => {
    const before = secretsOf('Cerb Helpdesk').map((c) => c.keyId);
    const accepted = await post({
      tenantId: TENANT,
      appId: r.appId('Cerb Helpdesk'),
      vaultSecretName: 'cerb-client-secret',
      retireOldAfterHours: 'never',
    });
    const id = accepted.body['id'] as string;
    const real = r.runtime.rotation.credentials;
    const crashing: RotationDeps = {
      ...r.runtime.rotation,
      credentials: {
        ...real,
        addPassword: async (...args) => (await real.addPassword(...args), Promise.reject(new Error('simulated crash'))),
      },
    };
    await expect(advanceRotation(id, crashing, DateTime.utc())).rejects.toThrow('simulated crash');
    const orphan = secretsOf('Cerb Helpdesk').find((c) => !before.includes(c.keyId))!;
    expect(orphan.displayName).toContain(id);

    const resumed = await advanceRotation(id, r.runtime.rotation, DateTime.utc().plus({ minutes: 12 }));
    expect(resumed).toMatchObject({ kind: 'finished', rotation: { step: 'completed' } });
    const added = secretsOf('Cerb Helpdesk').filter((c) => !before.includes(c.keyId));
    expect(added).toHaveLength(1);
    expect(added[0]!.keyId).not.toBe(orphan.keyId);
    expect((await vault().getSecret('cerb-client-secret')).properties.tags?.['vigil-key-id']).toBe(added[0]!.keyId);
  });

  it('when the Key Vault write fails, removes the new Entra secret and sends an alert', async () => {
    const before = creatio().passwordCredentials.map((c) => c.keyId);
    const versionsBefore = (await versions('creatio-client-secret')).length;
    const mailBefore = r.stack.cloud.context.store.data.mail.length;
    await r.stack.admin('/admin/faults', {
      service: 'keyvault',
      method: 'PUT',
      path: '/secrets/creatio-client-secret$',
      action: { kind: 'status', status: 503, retryAfterSeconds: 0 },
      times: 20,
    });
    try {
      const id = (await post(request()).then((p) => p.body['id'])) as string;
      await r.drain();
      expect((await get(id)).body).toMatchObject({
        status: 'failed',
        failure: {
          step: 'addSecret',
          reason: expect.stringMatching(
            /Key Vault did not take the new secret \(.*HTTP 503.*\); the new Entra secret .* was removed again/,
          ),
        },
      });
    } finally {
      await r.stack.admin('/admin/faults', undefined, 'DELETE');
    }
    expect(creatio().passwordCredentials.map((c) => c.keyId)).toEqual(before);
    expect(await versions('creatio-client-secret')).toHaveLength(versionsBefore);
    const alerts = r.stack.cloud.context.store.data.mail.slice(mailBefore).map((m) => JSON.stringify(m));
    expect(alerts.some((m) => m.includes('failed at step addSecret'))).toBe(true);
    expect((await post(request({ dryRun: true }))).status).toBe(200);
  }, 60_000);

  it('GET answers 404 for an unknown rotation and 400 for a malformed id', async () => {
    expect((await get('rot-00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await get('nonsense')).status).toBe(400);
  });

  it('every status these handlers answered is documented in the OpenAPI description', () => {
    const paths = openApiDocument().paths as unknown as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    for (const [method, path, status] of observed)
      expect(Object.keys(paths[path]![method]!.responses), `${method} ${path}`).toContain(String(status));
  });
});
