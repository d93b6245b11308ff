import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { describe, expect, it } from 'vitest';
import { injectLatency } from '../../../../local/cloud/http/latency.js';

describe('injectLatency', () => {
  it("answers at the latency when the emulator's handling fits inside it, not at latency + handling", async () => {
    // The handler takes 100 ms of a 300 ms latency: inside the window the answer leaves at ~300 ms; were the
    // handling added on top it would leave at ~400 ms. The 80 ms margin absorbs timer drift on a loaded machine.
    const app = new Hono<{ Bindings: HttpBindings }>();
    app.use(
      '*',
      injectLatency('graph', () => ({ graph: 300 })),
    );
    app.get('*', async (c) => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return c.text('ok');
    });
    const started = performance.now();
    const response = await app.request('/v1.0/applications');
    const took = performance.now() - started;
    expect(response.status).toBe(200);
    expect(took).toBeGreaterThanOrEqual(299);
    expect(took).toBeLessThan(380);
  });
});
