import type { RunTable } from '../adapters/storage/runTable.js';
import { poisonQueueOf, type QueueName } from '../adapters/storage/queueNames.js';
import type { HealthSources } from '../health/checkHealth.js';
import type { PoisonQueues } from '../notifications/OutboxPorts.js';

/** The health check's sources: the run table, and the approximate length of each queue's poison queue. */
export function createHealthSources(runs: RunTable, poison: PoisonQueues, queues: readonly QueueName[]): HealthSources {
  return {
    lastCompleted: () => runs.lastCompleted(),
    async poisonDepths() {
      const depths = await Promise.all(queues.map(async (queue) => [poisonQueueOf(queue), await poison.depth(queue)] as const));
      return Object.fromEntries(depths);
    },
  };
}
