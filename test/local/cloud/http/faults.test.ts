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
