import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../../../local/cloud/http/faults.js';

/** What ran first: the request's handler, or a callback queued for the event loop's next turn. */
async function orderOf(faults: FaultInjector): Promise<string[]> {
  const order: string[] = [];
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.use('*', faults.middleware('keyvault'));
  app.get('*', (c) => {
    order.push('handled');
    return c.text('ok');
  });
  setImmediate(() => order.push('next turn'));
  const response = await app.request('/secrets/cerb-mailbox');
  expect(response.status).toBe(200);
  await new Promise((resolve) => setImmediate(resolve));
  return order;
}

describe('FaultInjector latency', () => {
  it('counts a request against a 0 ms latency fault without holding it for a timer', async () => {
    // Benches and tests count requests with a no-op fault that never runs out; a timer per request added
    // a millisecond or more and a turn of the emulator's event loop to every request they counted.
    const faults = new FaultInjector();
    const id = faults.add({ service: 'keyvault', action: { kind: 'latency', ms: 0 }, times: 10 });
    expect(await orderOf(faults)).toEqual(['handled', 'next turn']);
    expect(faults.list().find((f) => f.id === id)?.remaining).toBe(9);
  });

  it('still holds a request for a latency above 0', async () => {
    const faults = new FaultInjector();
    faults.add({ service: 'keyvault', action: { kind: 'latency', ms: 5 }, times: 1 });
    expect(await orderOf(faults)).toEqual(['next turn', 'handled']);
  });
});

describe('FaultInjector status', () => {
  /** A service whose handler counts the requests it handled, behind the injector's faults. */
  function service(faults: FaultInjector) {
    const handled = { count: 0 };
    const app = new Hono<{ Bindings: HttpBindings }>();
    app.use('*', faults.middleware('entra'));
    app.post('*', (c) => ((handled.count += 1), c.json({ access_token: 'a-token-long-enough-to-differ-in-length' })));
    return { handled, send: () => app.request('/tenant/oauth2/v2.0/token', { method: 'POST' }) };
  }

  it('answers in place of the service: the service never sees the request', async () => {
    const faults = new FaultInjector();
    faults.add({ service: 'entra', action: { kind: 'status', status: 503, retryAfterSeconds: 1 } });
    const { handled, send } = service(faults);

    const answer = await send();
    expect([answer.status, answer.headers.get('retry-after'), handled.count]).toEqual([503, '1', 0]);
  });

  it('after handling: the service handles the request, and the fault is what the client reads', async () => {
    const faults = new FaultInjector();
    faults.add({ service: 'entra', action: { kind: 'status', status: 200, body: { token_type: 'Bearer' }, afterHandling: true } });
    const { handled, send } = service(faults);

    const answer = await send();
    expect([answer.status, await answer.json(), handled.count]).toEqual([200, { token_type: 'Bearer' }, 1]);
  });
});
