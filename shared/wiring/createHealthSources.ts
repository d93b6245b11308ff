import type { QueueClient } from '@azure/storage-queue';
import type { RunTable } from '../adapters/storage/runTable.js';
import type { HealthSources } from '../health/checkHealth.js';

/** The health check's sources: the run table, and the approximate length of each poison queue. */
export function createHealthSources(runs: RunTable, queue: (name: string) => QueueClient, poisonQueues: readonly string[]): HealthSources {
  return {
    lastCompleted: () => runs.lastCompleted(),
    async poisonDepths() {
      const depths = await Promise.all(
        poisonQueues.map(async (name) => {
          const client = queue(name);
          // A poison queue the host has not needed yet does not exist: nothing is parked there.
          const count = (await client.exists()) ? ((await client.getProperties()).approximateMessagesCount ?? 0) : 0;
          return [name, count] as const;
        }),
      );
      return Object.fromEntries(depths);
    },
  };
}
