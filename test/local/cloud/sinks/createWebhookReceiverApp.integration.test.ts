import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';
import { testScenario } from '../../../support/testScenario.js';

const CERB_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

let t: TestCloud;
beforeAll(async () => {
  const scenario = testScenario();
  t = await startTestCloud({
    scenario: {
      ...scenario,
      webhookEndpoints: [...(scenario.webhookEndpoints ?? []), { name: 'retired', secret: CERB_SECRET, behaviour: 'gone' }],
    },
  });
});
afterAll(async () => t.stop());

interface Delivery {
  path: string;
  endpoint: string;
  verified: boolean;
  body: string;
  headers: Record<string, string>;
}

let nextId = 1;
/** Headers as a Standard Webhooks sender makes them, signed with `standardwebhooks`. */
const signedHeaders = (payload: string, sentAt = new Date(), secret = CERB_SECRET): Record<string, string> => {
  const id = `msg_test${nextId++}`;
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, sentAt, payload),
  };
};
const deliver = async (endpoint: string, body: string, headers: Record<string, string>, contentType = 'application/json') => {
  const response = await fetch(`${t.cloud.endpoints.sinks}/webhooks/${endpoint}`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...headers },
    body,
  });
  const text = await response.text();
  return {
    status: response.status,
    text,
    problem: text ? (JSON.parse(text) as { title: string; detail: string; status: number }) : undefined,
  };
};
const deliveries = async (endpoint?: string) => {
  const response = await fetch(`${t.cloud.endpoints.sinks}/webhooks${endpoint ? `?endpoint=${endpoint}` : ''}`);
  return (await response.json()) as Delivery[];
};
const lastDelivery = async (endpoint: string) => (await deliveries(endpoint)).at(-1);

const payload = JSON.stringify({
  type: 'secret.expiring',
  timestamp: '2025-01-01T00:00:00Z',
  data: { application: 'Creatio CRM', daysLeft: 10 },
});

describe('POST /webhooks/{endpoint} with Standard Webhooks signatures', () => {
  it('accepts a delivery signed with the endpoint secret and records it as verified', async () => {
    const headers = signedHeaders(payload);
    const { status, text } = await deliver('cerb', payload, headers);
    expect(status).toBe(204);
    expect(text).toBe('');
    expect(await lastDelivery('cerb')).toMatchObject({
      path: '/webhooks/cerb',
      endpoint: 'cerb',
      verified: true,
      body: payload,
      headers: { 'webhook-id': headers['webhook-id'] },
    });
  });

  it('rejects a tampered body with 401 and records the attempt as not verified', async () => {
    const headers = signedHeaders(payload);
    const tampered = payload.replace('10', '99');
    const { status, problem } = await deliver('cerb', tampered, headers);
    expect(status).toBe(401);
    expect(problem).toMatchObject({ status: 401, title: 'Webhook signature not verified' });
    expect(problem!.detail).toMatch(/^No matching signature found/);
    expect(JSON.stringify(problem)).not.toContain(CERB_SECRET.slice('whsec_'.length));
    expect(await lastDelivery('cerb')).toMatchObject({ verified: false, body: tampered });
  });

  it('rejects a timestamp older than five minutes with 401', async () => {
    const headers = signedHeaders(payload, new Date(Date.now() - 10 * 60 * 1000));
    const { status, problem } = await deliver('cerb', payload, headers);
    expect(status).toBe(401);
    expect(problem!.detail).toMatch(/^Message timestamp too old/);
  });

  it("judges the timestamp by the local cloud's clock, which the admin API can move", async () => {
    const store = t.cloud.context.store;
    store.moveClock({ ms: 24 * 60 * 60 * 1000 });
    try {
      expect((await deliver('cerb', payload, signedHeaders(payload, store.now()))).status).toBe(204);
      const { status, problem } = await deliver('cerb', payload, signedHeaders(payload, new Date()));
      expect(status).toBe(401);
      expect(problem!.detail).toMatch(/^Message timestamp too old: sent 8640[01] s before/);
    } finally {
      store.moveClock({ reset: true });
    }
  });

  it('rejects a delivery without signature headers with 401', async () => {
    const { status, problem } = await deliver('cerb', payload, {});
    expect(status).toBe(401);
    expect(problem!.detail).toMatch(/^Missing required headers/);
  });

  it('answers 410 for an endpoint whose behaviour is gone, and records the attempt', async () => {
    const { status, problem } = await deliver('retired', payload, signedHeaders(payload));
    expect(status).toBe(410);
    expect(problem).toMatchObject({ status: 410, title: 'Endpoint gone' });
    expect(await deliveries('retired')).toEqual([expect.objectContaining({ endpoint: 'retired', verified: false })]);
  });

  it('answers 404 for an unknown endpoint and records nothing', async () => {
    const { status, problem } = await deliver('nobody', payload, signedHeaders(payload));
    expect(status).toBe(404);
    expect(problem).toMatchObject({ status: 404, title: 'Unknown webhook endpoint' });
    expect(await deliveries('nobody')).toEqual([]);
  });
});

describe('POST /webhooks/{endpoint} with CloudEvents', () => {
  const event = {
    specversion: '1.0',
    id: 'evt-1',
    source: '/vigil/contoso',
    type: 'vigil.secret.expiring',
    time: '2025-01-01T00:00:00Z',
    data: { daysLeft: 10 },
  };

  it('accepts a signed structured-mode CloudEvent', async () => {
    const body = JSON.stringify(event);
    const { status } = await deliver('cerb', body, signedHeaders(body), 'application/cloudevents+json');
    expect(status).toBe(204);
    expect(await lastDelivery('cerb')).toMatchObject({ verified: true, body, headers: { 'content-type': 'application/cloudevents+json' } });
  });

  it('rejects an event without specversion with 400, naming the attribute', async () => {
    const { specversion: _omitted, ...incomplete } = event;
    const body = JSON.stringify(incomplete);
    const { status, problem } = await deliver('cerb', body, signedHeaders(body), 'application/cloudevents+json');
    expect(status).toBe(400);
    expect(problem).toMatchObject({ status: 400, title: 'Invalid CloudEvents envelope' });
    expect(problem!.detail).toMatch(/specversion is required/);
    expect(await lastDelivery('cerb')).toMatchObject({ verified: false, body });
  });

  it('rejects an event carrying both data and data_base64 with 400', async () => {
    const body = JSON.stringify({ ...event, data_base64: 'AAE=' });
    const { status, problem } = await deliver('cerb', body, signedHeaders(body), 'application/cloudevents+json');
    expect(status).toBe(400);
    expect(problem!.detail).toMatch(/data and data_base64 are mutually exclusive/);
  });
});

describe('GET /webhooks', () => {
  it('lists every delivery, and those of one endpoint with ?endpoint=', async () => {
    const all = await deliveries();
    const cerb = await deliveries('cerb');
    expect(all.length).toBeGreaterThan(cerb.length);
    expect(cerb.every((d) => d.endpoint === 'cerb')).toBe(true);
    expect(cerb.filter((d) => d.verified)).toHaveLength(3);
  });
});
