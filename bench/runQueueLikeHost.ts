import { listenLikeHost } from '../local/devhost/queueListener.js';
import type { SpooledQueue } from './spooledQueue.js';

/**
 * Drains a queue the way the Functions host's queue listener does (`listenLikeHost`, the loop the dev host
 * runs and the rule the refresh floor simulates), until `producerDone` has resolved and the queue is
 * empty. A failed message, or a failed producer, fails the run.
 */
export async function runQueueLikeHost(
  queue: SpooledQueue,
  producerDone: Promise<unknown>,
  handle: (message: unknown) => Promise<void>,
): Promise<void> {
  let producing = true;
  const produced = producerDone.finally(() => {
    producing = false;
  });
  // A failed producer fails the run where the listener awaits it, not as an unhandled rejection first.
  produced.catch(() => undefined);
  const receive = async (max: number): Promise<unknown[]> => {
    const messages: unknown[] = [];
    while (messages.length < max) {
      const message = queue.receive();
      if (message === undefined) break;
      messages.push(message);
    }
    return messages;
  };
  await listenLikeHost({ receive, producing: () => producing, whenMore: () => Promise.race([queue.whenNotEmpty(), produced]) }, handle);
  // The listener may have ended without waiting on the producer (no room for a batch when it failed).
  await produced;
}
