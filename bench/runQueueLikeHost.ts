import { queueHostOptions, takesNewBatch } from '../local/devhost/queueListener.js';
import type { SpooledQueue } from './spooledQueue.js';

/**
 * Drains a queue the way the Functions host's queue listener does (local/devhost/queueListener.ts, the
 * rule the refresh floor simulates): a batch of up to `batchSize` messages whenever `newBatchThreshold` or
 * fewer are in flight, until `producerDone` has resolved and the queue is empty. A failed message fails
 * the run.
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
  // A failed producer fails the run where it is awaited below, not as an unhandled rejection first.
  produced.catch(() => undefined);
  const inFlight = new Set<Promise<void>>();
  for (;;) {
    let received = true;
    while (received && takesNewBatch(inFlight.size)) {
      received = false;
      for (let i = 0; i < queueHostOptions.batchSize; i++) {
        const message = queue.receive();
        if (message === undefined) break;
        received = true;
        const work: Promise<void> = handle(message).finally(() => inFlight.delete(work));
        inFlight.add(work);
      }
    }
    // Nothing in flight, the queue just found empty, and every message already sent: done.
    if (inFlight.size === 0 && !producing) return;
    // Wait for a message to end, or, with room for a batch while planning goes on, for a message or the plan's end.
    const room = takesNewBatch(inFlight.size) && producing;
    await Promise.race([...inFlight, ...(room ? [queue.whenNotEmpty(), produced] : [])]);
  }
}
