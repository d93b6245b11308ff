import { watchedQueues } from '../shared/adapters/storage/queueNames.js';
import { createHealthSources } from '../shared/wiring/createHealthSources.js';
import type { Runtime } from '../shared/wiring/createRuntime.js';
import type { HealthSources } from '../shared/health/checkHealth.js';

export function healthSources(runtime: Runtime): HealthSources {
  return createHealthSources(runtime.runs, runtime.notifications.watcher.poison, watchedQueues);
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
