import type { QueueClient } from '@azure/storage-queue';
import type { OutboxQueue } from '../../notifications/OutboxPorts.js';
import { onceSucceededPerKey } from '../../helpers/onceSucceeded.js';
import { toQueueMessage } from './createQueueClient.js';
import { poisonQueueOf, queueNames } from './queueNames.js';

/** A queue message can stay invisible for at most 7 days. */
const maxVisibilitySeconds = 7 * 24 * 3600;

export function createOutboxQueue(queueFor: (name: string) => QueueClient): OutboxQueue {
  const created = onceSucceededPerKey((name) => queueFor(name).createIfNotExists());
  const queue = async (name: string) => {
    await created(name);
    return queueFor(name);
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
