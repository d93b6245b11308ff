import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeLatency, parseLatency } from '../../../../local/cloud/http/latency.js';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';
import { GRAPH } from '../../../support/testScenario.js';
import { graphFetch } from '../graph/graphTestSupport.js';

const printed: string[] = [];
let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud({ behaviour: { latencyMs: { graph: 250, keyvault: 30 } }, log: (line) => printed.push(line) });
});
afterAll(async () => t.stop());

const timed = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};

describe('injected latency', () => {
  it('is printed when the local cloud starts with it', () => {
    expect(printed).toEqual(['local cloud: injected latency per request: Graph 250 ms, Key Vault 30 ms']);
  });

  it('delays every request of the service it is set for, and no other', async () => {
    const token = (await t.credential().getToken(`${GRAPH}/.default`)).token;
    expect(await timed(() => graphFetch(t, '/v1.0/applications?$top=1', { token }))).toBeGreaterThanOrEqual(245);
    const login = `${t.cloud.endpoints.clouds.global!.login}/11111111-1111-4111-8111-111111111111/v2.0/.well-known/openid-configuration`;
    expect(await timed(() => fetch(login))).toBeLessThan(200);
  });

  it('can be changed while the cloud runs', async () => {
    const token = (await t.credential().getToken(`${GRAPH}/.default`)).token;
    t.cloud.context.behaviour.latencyMs = {};
    try {
      expect(await timed(() => graphFetch(t, '/v1.0/applications?$top=1', { token }))).toBeLessThan(200);
    } finally {
      t.cloud.context.behaviour.latencyMs = { graph: 250, keyvault: 30 };
    }
  });
});

describe('latency settings', () => {
  it('reads the --latency option and says nothing when none is set', () => {
    expect(parseLatency('graph=250,entra=100,keyvault=30')).toEqual({ graph: 250, entra: 100, keyvault: 30 });
    expect(() => parseLatency('graph=fast')).toThrow(/not service=milliseconds/);
    expect(describeLatency({})).toBeUndefined();
    expect(describeLatency({ entra: 100 })).toBe('local cloud: injected latency per request: Entra (token endpoint) 100 ms');
  });
});
