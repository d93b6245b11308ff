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

/** Waits the service's latency (read per request, so a benchmark may change it) before the request is handled. */
export function injectLatency(service: ServiceName, latency: () => ServiceLatency): MiddlewareHandler<{ Bindings: HttpBindings }> {
  return async (_c, next) => {
    const ms = latency()[service] ?? 0;
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
    await next();
  };
}

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
