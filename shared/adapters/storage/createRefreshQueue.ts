import type { QueueClient } from '@azure/storage-queue';
import { createConcurrencyLimit } from '../../helpers/createConcurrencyLimit.js';
import type { RefreshQueue } from '../../tokens/TokenPorts.js';
import { ensureQueue, toQueueMessage } from './createQueueClient.js';

/** Sends one base64 JSON message per due connection; Storage queues have no batch send, so sends overlap. */
export function createRefreshQueue(queue: QueueClient, maxConcurrent = 16): RefreshQueue {
  const ready = ensureQueue(queue);
  const limit = createConcurrencyLimit(maxConcurrent);
  return {
    async send(messages) {
      if (messages.length === 0) return;
      await ready();
      await Promise.all(messages.map((message) => limit(() => queue.sendMessage(toQueueMessage(message)))));
    },
  };
}
