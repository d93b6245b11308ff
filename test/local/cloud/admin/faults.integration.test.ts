import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';
import { GRAPH, VAULT } from '../../../support/testScenario.js';

let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(async () => t.stop());

const graphGet = async () => {
  const token = await t.credential().getToken(`${GRAPH}/.default`);
  return fetch(`${t.cloud.endpoints.clouds.global!.graph}/v1.0/applications?$select=id`, {
    headers: { authorization: `Bearer ${token.token}` },
  });
};

describe('fault injection through the admin API', () => {
  it('answers a chosen status with Retry-After, for the given number of requests only', async () => {
    await t.admin('/admin/faults', {
      service: 'graph',
      path: '^/v1.0/applications',
      action: { kind: 'status', status: 429, retryAfterSeconds: 2 },
      times: 1,
    });
    const throttled = await graphGet();
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('2');
    expect((await graphGet()).status).toBe(200);
  });

  it('injects 5xx into the Key Vault SDK path', async () => {
    await t.admin('/admin/faults', {
      service: 'keyvault',
      path: '^/secrets/cerb-mailbox',
      action: { kind: 'status', status: 503 },
      times: 1,
    });
    await expect(t.secretClient(VAULT).getSecret('cerb-mailbox')).rejects.toMatchObject({ statusCode: 503 });
    expect((await t.secretClient(VAULT).getSecret('cerb-mailbox')).properties.name).toBe('cerb-mailbox');
  });

  it('adds latency and drops connections', async () => {
    await t.admin('/admin/faults', { service: 'graph', action: { kind: 'latency', ms: 300 }, times: 1 });
    const started = Date.now();
    expect((await graphGet()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    await t.admin('/admin/faults', { service: 'graph', action: { kind: 'drop' }, times: 1 });
    await expect(graphGet()).rejects.toThrow();
  });

  it('rejects a malformed fault rule with 400', async () => {
    await expect(t.admin('/admin/faults', { service: 'nowhere', action: { kind: 'status', status: 200 } })).rejects.toThrow(/→ 400/);
  });
});
