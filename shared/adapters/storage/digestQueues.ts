import type { QueueClient } from '@azure/storage-queue';
import type { DigestTickets, SnoozeAlarms } from '../../notifications/DigestPorts.js';
import { toQueueMessage } from './createQueueClient.js';

/** Flush tickets of digest buckets, one function of their own (`flushDigestQueue`). */
export const digestQueueName = 'vigil-digest';
/** Snooze ends, handled by `snoozeEndQueue`. */
export const snoozeEndQueueName = 'vigil-snooze-end';

/** Sends to a queue, creating it on first use; a failed create is tried again on the next send, never cached. */
function sender(queueFor: (name: string) => QueueClient, name: string) {
  let created: Promise<unknown> | undefined;
  return async (body: unknown, delayMs: number) => {
    const client = queueFor(name);
    created ??= client.createIfNotExists().catch((error: unknown) => {
      created = undefined;
      throw error;
    });
    await created;
    const visibilityTimeout = Math.ceil(delayMs / 1000);
    await client.sendMessage(toQueueMessage(body), visibilityTimeout > 0 ? { visibilityTimeout } : {});
  };
}

export function createDigestTickets(queueFor: (name: string) => QueueClient): DigestTickets {
  const send = sender(queueFor, digestQueueName);
  return { flushLater: (bucket, delayMs) => send({ bucket }, delayMs) };
}

export function createSnoozeAlarms(queueFor: (name: string) => QueueClient): SnoozeAlarms {
  const send = sender(queueFor, snoozeEndQueueName);
  return { wakeAt: (findingId, until, delayMs) => send({ findingId, until }, delayMs) };
}
