import { z } from 'zod';
import type { EmulatorContext } from '../EmulatorContext.js';
import { invalidateDeltaTokens } from '../graph/createGraphApp.js';
import { findTenant, readBody } from './adminRefs.js';
import type { AdminApp } from './createAdminApp.js';

const clockInput = z.object({ advanceDays: z.number().optional(), advanceMs: z.number().optional(), reset: z.boolean().optional() });

/** The local cloud itself: move the clock, invalidate delta tokens, inject and clear faults. */
export function registerCloudRoutes(app: AdminApp, ctx: EmulatorContext): void {
  const { store } = ctx;
  app.post('/admin/clock', async (c) => {
    const input = await readBody(c, clockInput);
    store.moveClock(input.reset ? { reset: true } : { ms: (input.advanceDays ?? 0) * 86_400_000 + (input.advanceMs ?? 0) });
    return c.json({ now: store.now().toISOString(), offsetMs: store.data.clockOffsetMs });
  });
  app.post('/admin/tenants/:tenant/delta/invalidate', async (c) => {
    const { as } = await readBody(c, z.object({ as: z.enum(['expired', 'resync']).default('expired') }));
    invalidateDeltaTokens(ctx, findTenant(store, c.req.param('tenant')).id, as);
    return c.json({ ok: true });
  });
  app.get('/admin/faults', (c) => c.json(ctx.faults.list()));
  app.post('/admin/faults', async (c) => c.json({ id: ctx.faults.add(await c.req.json()) }));
  app.delete('/admin/faults', (c) => {
    ctx.faults.clear();
    return c.json({ ok: true });
  });
}
