import { outboxQueueName } from '../shared/adapters/storage/outboxQueue.js';
import { createHealthSources } from '../shared/wiring/createHealthSources.js';
import { rotationQueueName } from '../shared/wiring/createRotationDeps.js';
import { REFRESH_QUEUE_NAME } from '../shared/tokens/RefreshQueue.js';
import type { Runtime } from '../shared/wiring/createRuntime.js';
import type { HealthSources } from '../shared/health/checkHealth.js';
import { scanQueueName } from './scanTenantQueue.js';

/** Where the Functions host parks a queue message after `maxDequeueCount` failures: `{queue}-poison`. */
export const poisonQueues = [scanQueueName, REFRESH_QUEUE_NAME, outboxQueueName, rotationQueueName].map((q) => `${q}-poison`);

export function healthSources(runtime: Runtime): HealthSources {
  return createHealthSources(runtime.runs, (name) => runtime.queue(name), poisonQueues);
}

/**
 * Counts the poison queues into the `vigil.queue.poisoned` gauge the poison alert reads. Every timer run
 * and every health check does it, so the metric keeps arriving without anyone polling. Best effort:
 * counting must never fail the run it follows.
 */
export async function recordPoisonDepths(runtime: Runtime): Promise<Record<string, number> | undefined> {
  try {
    const depths = await healthSources(runtime).poisonDepths();
    for (const [queue, depth] of Object.entries(depths)) runtime.telemetry.gauge('poisonDepth', depth, { queue });
    return depths;
  } catch {
    return undefined;
  }
}
