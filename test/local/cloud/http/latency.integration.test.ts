import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeLatency, parseLatency } from '../../../../local/cloud/http/latency.js';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';
import { GRAPH, VAULT } from '../../../support/testScenario.js';
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

  it("takes the latency from the request's arrival, with the emulator's handling inside it, not after it", async () => {
    t.cloud.context.behaviour.latencyMs = { graph: 250, keyvault: 400 };
    try {
      const client = t.secretClient(VAULT);
      await client.getSecret('vigil-missing').catch(() => undefined); // the SDK's authentication challenge, answered once
      const vault = t.cloud.context.store.data.vaults.find((v) => v.name === VAULT)!;
      let stored: number | undefined;
      const watch = setInterval(() => (stored ??= vault.secrets['held-in-flight'] ? performance.now() : undefined), 2);
      const sent = performance.now();
      try {
        await client.setSecret('held-in-flight', 'v');
      } finally {
        clearInterval(watch);
      }
      const answered = performance.now();
      expect(answered - sent).toBeGreaterThanOrEqual(395);
      // The write is made half the latency in, as Azure processes a request during its round trip, and
      // its answer still leaves only when the whole latency has passed since the request arrived.
      expect(stored).toBeDefined();
      expect(answered - stored!).toBeGreaterThan(100);
    } finally {
      t.cloud.context.behaviour.latencyMs = { graph: 250, keyvault: 30 };
    }
  });

  it("adds a fault's latency to the injected one: a held request answers that much later", async () => {
    const token = (await t.credential().getToken(`${GRAPH}/.default`)).token;
    const fault = t.cloud.context.faults.add({ service: 'graph', path: '^/v1.0/applications$', action: { kind: 'latency', ms: 300 } });
    try {
      expect(await timed(() => graphFetch(t, '/v1.0/applications?$top=1', { token }))).toBeGreaterThanOrEqual(545);
    } finally {
      expect(t.cloud.context.faults.list().find((f) => f.id === fault)?.remaining).toBe(0);
    }
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
