import type { QueueClient } from '@azure/storage-queue';
import type { FunctionDefinition } from '../functions/FunctionDefinition.js';
import { aroundQueueHandler } from './aroundQueueHandler.js';
import { deliveryOf, splitListenerWall, type HandledMessage, type ListenerSplit, type ReceivedBatch } from './splitListenerWall.js';
import { watchCalls } from './timeCalls.js';

type Received = Awaited<ReturnType<QueueClient['receiveMessages']>>;

/**
 * Records a queue-driven run for `splitListenerWall`, each delivery apart (deliveryOf): `queue` wraps the
 * listener's queue client (each receive, and each delete or update back to the queue, by the pop receipt
 * the receive handed out: when it settled, or that it rejected), `definition` the queue function's handler
 * as the host calls it (its start and end, by the message id and dequeue count in the trigger's metadata).
 */
export function recordListener(): {
  queue(client: QueueClient): QueueClient;
  definition(queue: FunctionDefinition): FunctionDefinition;
  split(started: number, wallMs: number): ListenerSplit;
} {
  const batches: ReceivedBatch[] = [];
  const handled = new Map<string, HandledMessage>();
  /** Each received message's pop receipt: the delivery its delete or update settles. */
  const receipts = new Map<string, string>();
  return {
    queue: (client) =>
      watchCalls('queue', client, (name, requested, { args, rejected, value }) => {
        if (name === 'queue.receiveMessages') {
          if (rejected) return;
          const deliveries = (value as Received).receivedMessageItems.map((m) => {
            const delivery = deliveryOf(m.messageId, m.dequeueCount);
            receipts.set(m.popReceipt, delivery);
            return delivery;
          });
          batches.push({ requested, settled: performance.now(), deliveries });
        } else if (name === 'queue.deleteMessage' || name === 'queue.updateMessage') {
          const h = handled.get(receipts.get(args[1] as string) ?? '');
          if (h && rejected) h.rejected = true;
          else if (h) h.deleted = performance.now();
        }
      }),
    definition: (queue) =>
      aroundQueueHandler(queue, async (handle, context) => {
        const start = performance.now();
        try {
          await handle();
        } finally {
          const { id, dequeueCount } = context.triggerMetadata ?? {};
          const end = performance.now();
          if (typeof id === 'string' && typeof dequeueCount === 'number')
            handled.set(deliveryOf(id, dequeueCount), { start, end, deleted: end });
        }
      }),
    split: (started, wallMs) => splitListenerWall(started, wallMs, batches, handled),
  };
}
