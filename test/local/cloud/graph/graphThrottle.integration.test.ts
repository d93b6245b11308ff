import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import { graphStats } from '../../../../local/cloud/graph/createGraphApp.js';
import { classifyGraphError } from '../../../../shared/adapters/graph/classifyGraphError.js';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';
import { TENANT } from '../../../support/testScenario.js';
import { appIdOf, applicationOf, graphFetch } from './graphTestSupport.js';

// Low limits so each can be reached in a few requests; the steps below run in order within one 10 s window.
let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud({ limits: { graph: { keyCredentialsSelectsPerMinute: 2, writesPer150s: 2, resourceUnitsPer10s: 12 } } });
});
afterAll(async () => t.stop());

describe('Graph identity throttling', () => {
  it('limits requests selecting keyCredentials per tenant and answers 429 with Retry-After', async () => {
    const select = '/v1.0/applications?$select=id,keyCredentials';
    expect((await graphFetch(t, select)).status).toBe(200);
    expect((await graphFetch(t, select)).status).toBe(200);
    const throttled = await graphFetch(t, select);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number.isInteger(Number(throttled.headers.get('retry-after')))).toBe(true);
    expect(throttled.headers.get('x-ms-throttle-scope')).toBe(`Tenant/Read/${appIdOf(t, 'Vigil')}/${TENANT}`);
    expect(throttled.body).toEqual({
      error: {
        code: 'TooManyRequests',
        message: 'Please retry again later.',
        innerError: {
          code: '429',
          date: expect.any(String),
          message: 'Please retry after',
          'request-id': throttled.headers.get('request-id'),
          status: '429',
        },
      },
    });
  });

  it('limits writes per app and tenant', async () => {
    const cerb = applicationOf(t, 'Cerb Helpdesk');
    const add = () => graphFetch(t, `/v1.0/applications/${cerb.id}/addPassword`, { method: 'POST', body: '{}' });
    expect((await add()).status).toBe(200);
    expect((await add()).status).toBe(200);
    const throttled = await add();
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('x-ms-throttle-information')).toBe('WriteLimitExceeded');
  });

  it('charges resource units (GET applications = 2) and throttles $batch items on their own', async () => {
    // 4 units spent above (2 keyCredentials selects at 1, 2 writes at 1); 8 left: four lists at 2.
    for (let i = 0; i < 4; i += 1) {
      const ok = await graphFetch(t, '/v1.0/applications');
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-ms-resource-unit')).toBe('2');
    }
    const throttled = await graphFetch(t, '/v1.0/applications');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('x-ms-throttle-scope')).toBe(`Tenant_Application/ReadWrite/${appIdOf(t, 'Vigil')}/${TENANT}`);
    const batch = await graphFetch(t, '/v1.0/$batch', {
      method: 'POST',
      body: JSON.stringify({ requests: [{ id: '1', method: 'GET', url: '/applications' }] }),
    });
    expect(batch.status).toBe(200);
    const [item] = (batch.body as { responses: Array<{ status: number; headers: Record<string, string> }> }).responses;
    expect(item!.status).toBe(429);
    expect(item!.headers['Retry-After']).toMatch(/^\d+$/);
  });

  it('counts requests, throttled requests and resource units per tenant', () => {
    const stats = graphStats(t.cloud.context);
    expect(stats.byTenant[TENANT]).toEqual({ requests: 12, throttled: 4, resourceUnits: 12 });
    expect(stats.throttled).toBe(4);
  });

  it('can answer a fractional Retry-After, which Vigil waits to the millisecond', async () => {
    t.cloud.context.behaviour.fractionalRetryAfter = true;
    try {
      const select = '/v1.0/applications?$select=id,keyCredentials';
      const throttled = await graphFetch(t, select);
      expect(throttled.status).toBe(429);
      const header = throttled.headers.get('retry-after')!;
      expect(header).toMatch(/^\d+\.\d{3}$/);
      // The scanner's path: the Graph client without its own retries, then Vigil's classification.
      const failure: unknown = await t
        .graphClient()
        .api('/applications')
        .select(['id', 'keyCredentials'])
        .middlewareOptions([new RetryHandlerOptions(0, 0)])
        .get()
        .catch((error: unknown) => error);
      const verdict = classifyGraphError(failure);
      expect(verdict.kind).toBe('retry');
      const waitMs = verdict.kind === 'retry' ? verdict.waitMs! : 0;
      // The window has moved on since the first 429, so this one asks for less, to the millisecond.
      expect(waitMs).toBeGreaterThan(0);
      expect(waitMs).toBeLessThanOrEqual(Math.round(Number(header) * 1000));
    } finally {
      t.cloud.context.behaviour.fractionalRetryAfter = false;
    }
  });
});
