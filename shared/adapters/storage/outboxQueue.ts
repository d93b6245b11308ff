import type { QueueClient } from '@azure/storage-queue';
import type { OutboxQueue } from '../../notifications/OutboxPorts.js';
import { toQueueMessage } from './createQueueClient.js';
import { poisonQueueOf, queueNames } from './queueNames.js';

/** A queue message can stay invisible for at most 7 days. */
const maxVisibilitySeconds = 7 * 24 * 3600;

export function createOutboxQueue(queueFor: (name: string) => QueueClient): OutboxQueue {
  const created = new Set<string>();
  const queue = async (name: string) => {
    const client = queueFor(name);
    // Remembered only once it worked: a create that failed in an outage is tried again on the next send.
    if (!created.has(name)) {
      await client.createIfNotExists();
      created.add(name);
    }
    return client;
  };
  return {
    async enqueue(ticket, delayMs = 0) {
      const visibilityTimeout = Math.min(maxVisibilitySeconds, Math.ceil(delayMs / 1000));
      await (await queue(queueNames.outbox)).sendMessage(toQueueMessage(ticket), visibilityTimeout > 0 ? { visibilityTimeout } : {});
    },
    async poison(message) {
      await (await queue(poisonQueueOf(queueNames.outbox))).sendMessage(toQueueMessage(message));
    },
  };
}
