import type { QueueClient } from '@azure/storage-queue';
import type { ScanQueue } from '../../scanner/ScanPorts.js';
import { ensureQueue, toQueueMessage } from './createQueueClient.js';

/** The scan queue (`queueNames.scan`): one `{tenantId}` message per tenant, as `scanTenantQueue` reads it. */
export function createScanQueue(queue: QueueClient): ScanQueue {
  const ready = ensureQueue(queue);
  return {
    async enqueue(tenantId) {
      await ready();
      await queue.sendMessage(toQueueMessage({ tenantId }));
    },
  };
}
