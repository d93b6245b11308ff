import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFindings } from '../../functions/listFindings.js';
import { startRotation } from '../../functions/startRotation.js';
import { startScan } from '../../functions/startScan.js';
import { openApiDocument } from '../../shared/api/openApiDocument.js';
import { OTHER_TENANT, TENANT } from '../support/testScenario.js';
import { startRotationStack, type RotationStack } from './rotationStack.js';

let r: RotationStack;
let token: string;
const observed: number[] = [];
beforeAll(async () => {
  r = await startRotationStack();
  token = await r.token('Ops CLI');
});
afterAll(async () => r?.stack.stop());

const post = async (body: unknown, as = token) => {
  const response = await r.call(startScan, { method: 'POST', path: 'scans', token: as, body });
  observed.push(response.status);
  return response;
};
const runScans = () => r.runScans();
const findingKeys = async (): Promise<string[]> => {
  const response = await r.call(listFindings, { method: 'GET', path: `findings?tenant=${TENANT}`, token });
  return (response.body['value'] as Array<{ keyId: string }>).map((f) => f.keyId);
};
const creatioSecret = (name: string) =>
  r.stack.cloud.context.store.application(r.appId('Creatio CRM'))!.app.passwordCredentials.find((c) => c.displayName === name)!;

describe('POST /api/scans against the local cloud', () => {
  it('queues a scan of one tenant through the scanner queue; the scan runs and the findings appear', async () => {
    expect(await findingKeys()).toEqual([]);
    const accepted = await post({ tenantId: TENANT.toUpperCase() });
    expect(accepted).toMatchObject({
      status: 202,
      headers: { location: `/api/findings?tenant=${TENANT}` },
      body: {
        queued: [{ tenantId: TENANT, displayName: 'Home tenant', findings: `/api/findings?tenant=${TENANT}` }],
        links: { findings: `/api/findings?tenant=${TENANT}`, dashboard: `/api/dashboard?tenant=${TENANT}`, health: '/api/health' },
      },
    });
    expect(await runScans()).toBe(1);
    expect(await findingKeys()).toContain(creatioSecret('current').keyId);
    const audit = (await r.runtime.api.audit.list(new Date().toISOString().slice(0, 10))).filter((a) => a.action === 'scan.request');
    expect(audit.at(-1)).toMatchObject({ outcome: 'queued', target: TENANT, actor: { appId: r.appId('Ops CLI') } });
  });

  it('queues every watched tenant for an empty body or {"all": true}', async () => {
    for (const body of ['', {}, { all: true }]) {
      const accepted = await post(body);
      expect(accepted).toMatchObject({ status: 202, headers: { location: '/api/findings' }, body: { queued: [{ tenantId: TENANT }] } });
    }
    // Three messages for one tenant: each runs in turn, or finds the tenant's lease held and skips.
    expect(await runScans()).toBe(3);
  });

  it('answers a problem naming the field for a tenant Vigil does not watch or a malformed body', async () => {
    expect(await post({ tenantId: OTHER_TENANT })).toMatchObject({
      status: 422,
      headers: { 'content-type': 'application/problem+json' },
      body: { title: 'Unknown tenant', errors: [{ field: 'tenantId' }] },
    });
    expect((await post({ tenantId: 'contoso' })).body).toMatchObject({ status: 400, errors: [{ field: 'tenantId' }] });
    expect((await post({ tenantId: TENANT, all: true })).body).toMatchObject({ status: 400, errors: [{ field: 'all' }] });
    expect((await post({ tenants: [TENANT] })).body).toMatchObject({
      status: 400,
      errors: [{ field: 'tenants', message: 'Unknown field' }],
    });
    expect((await post('{not json')).body).toMatchObject({ status: 400, errors: [{ field: 'body' }] });
    expect(await runScans()).toBe(0);
  });

  it('answers 415 naming the content type when the body is not sent as JSON, and takes an empty body without one', async () => {
    // `curl -d '{"tenantId":…}'` without -H sends the JSON form-encoded: said as such, not parsed as something else.
    const form = await r.call(startScan, {
      method: 'POST',
      path: 'scans',
      token,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: { tenantId: TENANT },
    });
    expect(form).toMatchObject({
      status: 415,
      headers: { 'content-type': 'application/problem+json', 'accept-post': 'application/json' },
      body: {
        type: 'urn:vigil:problem:unsupportedMediaType',
        title: 'Unsupported media type',
        status: 415,
        detail: expect.stringContaining('application/x-www-form-urlencoded'),
        errors: [{ field: 'Content-Type' }],
      },
    });
    expect(await runScans()).toBe(0);
    const empty = await r.call(startScan, { method: 'POST', path: 'scans', token, headers: { 'content-type': 'text/plain' }, body: '' });
    expect(empty.status).toBe(202);
    await runScans();
  });

  it('refuses a caller without Vigil.Rotate (403) and one without a token (401)', async () => {
    expect(await post({}, await r.token('Ops viewer'))).toMatchObject({ status: 403, body: { missingRole: 'Vigil.Rotate' } });
    expect((await r.call(startScan, { method: 'POST', path: 'scans', body: {} })).status).toBe(401);
    expect(await runScans()).toBe(0);
  });

  it('a completed rotation rescans its tenant: the replaced secret leaves the findings without waiting for the hourly scan', async () => {
    const old = creatioSecret('current').keyId;
    expect(await findingKeys()).toContain(old);
    const accepted = await r.call(startRotation, {
      method: 'POST',
      path: 'rotations',
      token,
      body: {
        tenantId: TENANT,
        appId: r.appId('Creatio CRM'),
        keyId: old,
        vaultSecretName: 'creatio-client-secret',
        retireOldAfterHours: 0,
      },
    });
    expect(accepted.status).toBe(202);
    await r.drain();
    expect(r.stack.cloud.context.store.application(r.appId('Creatio CRM'))!.app.passwordCredentials.map((c) => c.keyId)).not.toContain(old);
    expect(await findingKeys()).toContain(old);
    expect(await runScans()).toBeGreaterThan(0);
    expect(await findingKeys()).not.toContain(old);
  });

  it('every status it answered is documented in the OpenAPI description', () => {
    const scans = (openApiDocument().paths as unknown as Record<string, Record<string, { responses: Record<string, unknown> }>>)['/scans'];
    for (const status of new Set(observed)) expect(Object.keys(scans!['post']!.responses)).toContain(String(status));
  });
});
