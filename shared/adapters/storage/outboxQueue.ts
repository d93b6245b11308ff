import type { QueueClient } from '@azure/storage-queue';
import type { OutboxQueue } from '../../notifications/OutboxPorts.js';
import { onceSucceededPerKey } from '../../core/onceSucceeded.js';
import { toQueueMessage } from './createQueueClient.js';

export const outboxQueueName = 'vigil-outbox';
/** The name the Functions host itself uses after maxDequeueCount failures, so all poisoned tickets meet. */
export const outboxPoisonQueueName = `${outboxQueueName}-poison`;
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
      await (await queue(outboxQueueName)).sendMessage(toQueueMessage(ticket), visibilityTimeout > 0 ? { visibilityTimeout } : {});
    },
    async poison(ticket) {
      await (await queue(outboxPoisonQueueName)).sendMessage(toQueueMessage(ticket));
    },
  };
}
