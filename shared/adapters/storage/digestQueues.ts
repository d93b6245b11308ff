import type { QueueClient } from '@azure/storage-queue';
import type { DigestTickets, SnoozeAlarms } from '../../notifications/DigestPorts.js';
import { onceSucceeded } from '../../helpers/onceSucceeded.js';
import { toQueueMessage } from './createQueueClient.js';
import { queueNames } from './queueNames.js';

/** Sends to a queue, creating it on first use; a failed create is tried again on the next send, never cached. */
function sender(queueFor: (name: string) => QueueClient, name: string) {
  const create = onceSucceeded(() => queueFor(name).createIfNotExists());
  return async (body: unknown, delayMs: number) => {
    const client = queueFor(name);
    await create();
    const visibilityTimeout = Math.ceil(delayMs / 1000);
    await client.sendMessage(toQueueMessage(body), visibilityTimeout > 0 ? { visibilityTimeout } : {});
  };
}

export function createDigestTickets(queueFor: (name: string) => QueueClient): DigestTickets {
  const send = sender(queueFor, queueNames.digest);
  return { flushLater: (bucket, delayMs) => send({ bucket }, delayMs) };
}

export function createSnoozeAlarms(queueFor: (name: string) => QueueClient): SnoozeAlarms {
  const send = sender(queueFor, queueNames.snoozeEnd);
  return { wakeAt: (findingId, until, delayMs) => send({ findingId, until }, delayMs) };
}
