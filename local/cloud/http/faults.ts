import type { MiddlewareHandler } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { z } from 'zod';
import { holdRequest } from './latency.js';

export const serviceNames = ['entra', 'graph', 'keyvault', 'sinks'] as const;
export type ServiceName = (typeof serviceNames)[number];

/** A fault the admin API injects on a route: answer with a status (in place of the service's answer, or after it handled the request), add latency, or drop the connection. */
export const faultRuleSchema = z.object({
  service: z.enum(serviceNames),
  /** Regular expression matched against the request path (without the query). */
  path: z.string().default('.*'),
  method: z.string().optional(),
  action: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('status'),
      // A 2xx too: a broken answer (a 200 without the token it should carry).
      status: z.number().int().min(200).max(599),
      retryAfterSeconds: z.number().optional(),
      body: z.unknown().optional(),
      /**
       * Let the service handle the request first (its state changes: a code redeemed, an assertion's
       * `jti` spent) and answer the status in place of its answer, as a gateway failing on the way back.
       */
      afterHandling: z.boolean().optional(),
    }),
    z.object({ kind: z.literal('latency'), ms: z.number().int().min(0).max(120_000) }),
    z.object({ kind: z.literal('drop') }),
  ]),
  /** How many matching requests the fault applies to before it is used up. */
  times: z.number().int().min(1).default(1),
});
export type FaultRule = z.infer<typeof faultRuleSchema>;

interface ActiveFault {
  id: number;
  rule: FaultRule;
  remaining: number;
  pattern: RegExp;
}

/** Faults injected through the admin API, applied before the emulated service sees the request. */
export class FaultInjector {
  private faults: ActiveFault[] = [];
  private nextId = 1;

  add(input: unknown): number {
    const rule = faultRuleSchema.parse(input);
    const id = this.nextId++;
    this.faults.push({ id, rule, remaining: rule.times, pattern: new RegExp(rule.path) });
    return id;
  }

  clear(): void {
    this.faults = [];
  }

  list(): Array<FaultRule & { id: number; remaining: number }> {
    return this.faults.map((f) => ({ ...f.rule, id: f.id, remaining: f.remaining }));
  }

  middleware(service: ServiceName): MiddlewareHandler<{ Bindings: HttpBindings }> {
    return async (c, next) => {
      const path = new URL(c.req.url).pathname;
      const fault = this.faults.find(
        (f) =>
          f.remaining > 0 &&
          f.rule.service === service &&
          f.pattern.test(path) &&
          (!f.rule.method || f.rule.method.toUpperCase() === c.req.method),
      );
      if (!fault) return next();
      fault.remaining -= 1;
      const action = fault.rule.action;
      switch (action.kind) {
        case 'latency':
          // A 0 ms fault is how benches and tests count requests: it passes at once. A timer would hold
          // every counted request for a millisecond or more and a turn of the event loop.
          if (action.ms > 0) await holdRequest(c.req.raw, action.ms);
          return next();
        case 'drop':
          c.env.incoming.socket.destroy();
          return new Response(null, { status: 599 });
        case 'status':
          if (!action.afterHandling) return statusAnswer(action);
          await next();
          // Unset first: assigning over an answer would merge its headers (its length) into the fault's.
          c.res = undefined;
          c.res = statusAnswer(action);
          return;
      }
    };
  }
}

/** The fault's answer: its status, `Retry-After` when given, and its body (a Graph-style error by default). */
function statusAnswer(action: Extract<FaultRule['action'], { kind: 'status' }>): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (action.retryAfterSeconds !== undefined) headers['retry-after'] = String(action.retryAfterSeconds);
  const body = action.body ?? {
    error: { code: 'InjectedFault', message: `Fault injected by the local cloud admin API (${action.status}).` },
  };
  return new Response(JSON.stringify(body), { status: action.status, headers });
}
