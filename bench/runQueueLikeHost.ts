import type { SpooledQueue } from './spooledQueue.js';

/**
 * Drains a queue the way the Functions host's queue listener does, with up to `concurrency` messages
 * in flight, until `producerDone` has resolved and the queue is empty.
 */
export async function runQueueLikeHost(
  queue: SpooledQueue,
  producerDone: Promise<unknown>,
  concurrency: number,
  handle: (message: unknown) => Promise<void>,
): Promise<void> {
  let producing = true;
  void producerDone.finally(() => {
    producing = false;
    // Wake a worker waiting on an empty queue so it can see the producer is done.
    void queue.send([]);
  });
  const worker = async () => {
    for (;;) {
      const message = queue.receive();
      if (message !== undefined) {
        await handle(message);
        continue;
      }
      if (!producing) return;
      await Promise.race([queue.whenNotEmpty(), producerDone]);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
