import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApplicationCredentials } from '../../../../shared/adapters/graph/createApplicationCredentials.js';
import { createGraphClient } from '../../../../shared/adapters/graph/createGraphClient.js';
import { createVigilFaultLog } from '../../../../shared/adapters/http/createVigilFaultLog.js';
import { cloudEndpoints } from '../../../../shared/cloud/cloudEndpoints.js';
import type { ApplicationCredentials } from '../../../../shared/rotation/RotationPorts.js';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';
import { TENANT } from '../../../support/testScenario.js';
import { applicationOf } from '../../../local/cloud/graph/graphTestSupport.js';
import { SignInTimeoutError } from '../../../../shared/adapters/entra/signInUnavailable.js';

let t: TestCloud;
let credentials: ApplicationCredentials;
const logged: string[] = [];
beforeAll(async () => {
  t = await startTestCloud();
  const graph = createGraphClient(t.credential(), { ...cloudEndpoints.global, ...t.cloud.endpoints.clouds.global! });
  credentials = createApplicationCredentials(
    (tenantId) => (tenantId === TENANT ? graph : undefined),
    createVigilFaultLog((line) => logged.push(line)),
  );
});
afterAll(async () => t.stop());
afterEach(async () => {
  await t.admin('/admin/faults', undefined, 'DELETE');
  logged.length = 0;
});

/** The next matching Graph request's connection is closed before the local Graph reads it (the admin API's `drop`). */
const dropNext = (method: string, path: string) => t.admin('/admin/faults', { service: 'graph', method, path, action: { kind: 'drop' } });
/** The next addPassword is applied by the local Graph, then answered with `status` (and `body`) in place of its answer. */
const answerNextAddPassword = (status: number, body?: unknown, retryAfterSeconds?: number) =>
  t.admin('/admin/faults', {
    service: 'graph',
    method: 'POST',
    path: '/addPassword$',
    action: { kind: 'status', status, body, retryAfterSeconds, afterHandling: true },
  });
/** Creatio's addPassword of a secret named `displayName`, through `through` (the test's credentials by default). */
const addTo = (displayName: string, through = credentials) =>
  through.addPassword(TENANT, applicationOf(t, 'Creatio CRM').id, { displayName, endDateTime: '2027-06-01T00:00:00Z' });

describe("the rotation's Graph calls when Graph closes the connection they went on", () => {
  it('reads the application all the same when Graph closed the kept-alive connection the read went on', async () => {
    const creatio = applicationOf(t, 'Creatio CRM');
    expect(await credentials.find(TENANT, { objectId: creatio.id })).toMatchObject({ kind: 'found' });
    await dropNext('GET', `^/v1.0/applications/${creatio.id}$`);
    expect(await credentials.find(TENANT, { objectId: creatio.id })).toMatchObject({
      kind: 'found',
      application: { appId: creatio.appId },
    });
  });

  it('reports an addPassword that got no answer as unanswered, not as an outage: Graph may have added the secret', async () => {
    const creatio = applicationOf(t, 'Creatio CRM');
    expect(await credentials.find(TENANT, { objectId: creatio.id })).toMatchObject({ kind: 'found' });
    await dropNext('POST', `/addPassword$`);
    const added = await credentials.addPassword(TENANT, creatio.id, {
      displayName: 'vigil:rot-1 by test',
      endDateTime: '2027-06-01T00:00:00Z',
    });
    // A dropped connection reads as a reset, but a close may come with EPIPE or no code at all.
    expect(added).toEqual({
      kind: 'mayHaveAdded',
      reason: expect.stringMatching(/^Graph addPassword: the connection to Graph failed( \(E[A-Z]+\))?$/),
    });
    expect(logged).toEqual([]);
  });

  it('sends addPassword once when a gateway answers 504 after Graph added the secret, and says the secret may exist', async () => {
    await answerNextAddPassword(504);
    expect(await addTo('vigil:rot-504 by test')).toEqual({
      kind: 'mayHaveAdded',
      reason: 'Graph addPassword answered HTTP 504',
    });
    const found = await credentials.find(TENANT, { objectId: applicationOf(t, 'Creatio CRM').id });
    const ours =
      found.kind === 'found' ? found.application.passwordCredentials.filter((c) => c.displayName?.includes('vigil:rot-504')) : [];
    expect(ours).toHaveLength(1);
  });

  it('says the secret may exist after any 5xx, a 503 with Retry-After too, and never waits on it itself', async () => {
    await answerNextAddPassword(503, undefined, 120);
    const started = Date.now();
    expect(await addTo('vigil:rot-503 by test')).toEqual({ kind: 'mayHaveAdded', reason: 'Graph addPassword answered HTTP 503' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('says the secret was added when Graph answered 2xx without its text', async () => {
    await answerNextAddPassword(200, {});
    expect(await addTo('vigil:rot-200 by test')).toEqual({
      kind: 'mayHaveAdded',
      reason: 'Graph added the secret, but its answer held no secretText',
    });
  });
});

describe('a removePassword Graph applied before a gateway answered 504', () => {
  it('is sent again by the Graph client, and the second answer (no such key) reads as removed: a resend cannot hurt here', async () => {
    const added = await addTo('vigil:rot-remove by test');
    if (added.kind !== 'added') throw new Error(`not added: ${added.kind}`);
    const creatio = applicationOf(t, 'Creatio CRM');
    await t.admin('/admin/faults', {
      service: 'graph',
      method: 'POST',
      path: '/removePassword$',
      action: { kind: 'status', status: 504, afterHandling: true },
    });
    expect(await credentials.removePassword(TENANT, creatio.id, added.credential.keyId)).toEqual({ kind: 'notFound' });
    const found = await credentials.find(TENANT, { objectId: creatio.id });
    expect(found.kind === 'found' && found.application.passwordCredentials.some((c) => c.keyId === added.credential.keyId)).toBe(false);
  });
});

describe("an addPassword never sent, as Vigil's own sign-in failed first", () => {
  it('is an outage to try again, not a secret that may exist', async () => {
    const timedOut = { getToken: () => Promise.reject(new SignInTimeoutError(30_000)) };
    const graph = createGraphClient(timedOut, { ...cloudEndpoints.global, ...t.cloud.endpoints.clouds.global! });
    const unsigned = createApplicationCredentials(
      () => graph,
      createVigilFaultLog((line) => logged.push(line)),
    );
    const added = await addTo('vigil:rot-signin by test', unsigned);
    expect(added).toMatchObject({
      kind: 'failed',
      transient: true,
      reason: "Graph addPassword: Entra did not answer Vigil's sign-in within 30 s",
    });
    const found = await credentials.find(TENANT, { objectId: applicationOf(t, 'Creatio CRM').id });
    expect(found.kind === 'found' && found.application.passwordCredentials.some((c) => c.displayName?.includes('vigil:rot-signin'))).toBe(
      false,
    );
  });
});

describe('a Graph request the rotation could not make (vigilFault)', () => {
  it('is refused for good and logged with its class and stack frames, never its message', async () => {
    const broken = createGraphClient(t.credential(), { ...cloudEndpoints.global, ...t.cloud.endpoints.clouds.global! });
    // A header value no request may carry: Node refuses it before anything is sent (a TypeError, ERR_INVALID_CHAR).
    const faulty = createApplicationCredentials(
      () => ({ api: (path: string) => broken.api(path).header('x-broken', 'a\nb') }) as unknown as typeof broken,
      createVigilFaultLog((line) => logged.push(line)),
    );
    const found = await faulty.find(TENANT, { objectId: 'a\nb' });
    expect(found).toMatchObject({ kind: 'failed', transient: false });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^Graph request Vigil could not make \(vigilFault\): TypeError\n\s+at /);
    expect(logged[0]).not.toContain('x-broken');
  });
});
