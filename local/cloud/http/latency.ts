import type { MiddlewareHandler } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { ServiceName } from './faults.js';

/** Fixed time each request to a service takes before it is answered, as a network path to Azure adds it. */
export type ServiceLatency = Partial<Record<ServiceName, number>>;

const serviceTitles: Record<ServiceName, string> = {
  graph: 'Graph',
  entra: 'Entra (token endpoint)',
  keyvault: 'Key Vault',
  sinks: 'sinks',
};

/**
 * Makes each request to the service take its latency (read per request, so a benchmark may change it),
 * measured from the request's arrival, with the emulator's own handling inside that time: the request
 * reaches the service half the latency after it arrives, is handled there (its state change made), and
 * its answer leaves no earlier than arrival + latency. The latency stands for the time a client waits for
 * a request to complete, which Microsoft counts as network plus the service's own processing (Blob
 * storage's "Latency in Blob storage": end-to-end latency includes server latency, the time the service
 * takes to process the request). Azure processes one client's concurrent requests in parallel, so the
 * emulator's handling is charged only where it runs past the latency's second half: as Azure's
 * processing, it is part of the latency, not added to it. A fault's latency (the admin API's "add
 * latency") holds the request before it is handled, as it did, and moves the answer that much later.
 */
export function injectLatency(service: ServiceName, latency: () => ServiceLatency): MiddlewareHandler<{ Bindings: HttpBindings }> {
  return async (c, next) => {
    const ms = latency()[service] ?? 0;
    if (ms <= 0) return next();
    const arrived = performance.now();
    await wait(ms / 2);
    await next();
    const left = arrived + ms + (heldBy.get(c.req.raw) ?? 0) - performance.now();
    if (left > 0) await wait(left);
  };
}

/** Milliseconds a fault held each request: its answer leaves that much after the injected latency. */
const heldBy = new WeakMap<Request, number>();

/** Holds the request `ms` before it is handled (a fault's added latency), and its answer as long. */
export async function holdRequest(request: Request, ms: number): Promise<void> {
  heldBy.set(request, (heldBy.get(request) ?? 0) + ms);
  await wait(ms);
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** "injected latency per request: Graph 250 ms, Entra (token endpoint) 100 ms, Key Vault 30 ms", or undefined when none is set. */
export function describeLatency(latency: ServiceLatency): string | undefined {
  const set = (Object.keys(serviceTitles) as ServiceName[]).filter((s) => (latency[s] ?? 0) > 0);
  if (set.length === 0) return undefined;
  return `local cloud: injected latency per request: ${set.map((s) => `${serviceTitles[s]} ${latency[s]} ms`).join(', ')}`;
}

/** `graph=250,entra=100,keyvault=30` (the `--latency` option of `npm run local-cloud`). */
export function parseLatency(text: string): ServiceLatency {
  const latency: ServiceLatency = {};
  for (const part of text.split(',').filter(Boolean)) {
    const match = /^(graph|entra|keyvault|sinks)=(\d+)$/.exec(part.trim());
    if (!match) throw new Error(`--latency: "${part}" is not service=milliseconds (services: graph, entra, keyvault, sinks)`);
    latency[match[1] as ServiceName] = Number(match[2]);
  }
  return latency;
}
