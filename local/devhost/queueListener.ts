/**
 * One model of the Functions host's queue listener, the single home of its concurrency: the dev host's
 * listener (`drainQueuesLikeHost`) and the refresh bench's driver (`runQueueLikeHost`) run one loop,
 * `listenLikeHost`, and the bench's floors simulate the same rule (`simulateQueueListener`); all admit
 * messages by `takesNewBatch`, with host.json's values (`test/local/devhost/queueListener.test.ts` holds
 * them to it).
 *
 * Microsoft's `QueuesOptions.BatchSize` (Microsoft.Azure.WebJobs.Extensions.Storage.Queues): "The job
 * keeps requesting messages in batches of BatchSize size until number of messages currently being
 * processed is above NewBatchThreshold. Then the job requests new batch of messages only if number of
 * currently processed messages drops at or below NewBatchThreshold. The maximum number of messages
 * processed in parallel by the job is NewBatchThreshold plus BatchSize." host.json reference (queues):
 * unset, `newBatchThreshold` is half a batch on Consumption and Flex Consumption plans.
 */
const batchSize = 16;
export const queueHostOptions = { maxDequeueCount: 5, batchSize, newBatchThreshold: batchSize / 2 } as const;

/** The most messages one instance's listener handles at once: a batch on top of the threshold. */
export const MAX_IN_FLIGHT = queueHostOptions.batchSize + queueHostOptions.newBatchThreshold;

/** Whether the listener asks for another batch while `inFlight` messages are being handled. */
export const takesNewBatch = (inFlight: number): boolean => inFlight <= queueHostOptions.newBatchThreshold;

/** Where a listener takes its messages from. */
export interface ListenedQueue<M> {
  /** Up to `max` messages now; none when the queue is empty. */
  receive(max: number): Promise<readonly M[]>;
  /** Whether more messages may still be queued (a producer is still running): the listener waits for them. */
  producing(): boolean;
  /** While producing: settles when a message may have been queued or production ended (rejects when it failed). */
  whenMore(): Promise<unknown>;
}

/**
 * The host's queue listener over one queue: a batch of up to `batchSize` whenever `newBatchThreshold` or
 * fewer messages are in flight, again at once while batches come back full of room, until the queue reads
 * empty with nothing in flight and nothing more being produced. A message whose handling rejects fails
 * the run. Returns how many messages were handled.
 */
export async function listenLikeHost<M>(queue: ListenedQueue<M>, handle: (message: M) => Promise<void>): Promise<number> {
  const inFlight = new Set<Promise<void>>();
  let handled = 0;
  for (;;) {
    for (let received = true; received && takesNewBatch(inFlight.size);) {
      const messages = await queue.receive(queueHostOptions.batchSize);
      for (const message of messages) {
        const work: Promise<void> = handle(message).finally(() => inFlight.delete(work));
        inFlight.add(work);
      }
      handled += messages.length;
      received = messages.length > 0;
    }
    // Nothing in flight, the queue just found empty, and nothing more coming: done.
    if (inFlight.size === 0 && !queue.producing()) return handled;
    // Wait for a message to end, or, with room for a batch while production goes on, for more to be queued.
    const room = takesNewBatch(inFlight.size) && queue.producing();
    await Promise.race([...inFlight, ...(room ? [queue.whenMore()] : [])]);
  }
}

/** What the listener's rule yields for messages of known durations. */
export interface ListenerRun {
  /** When the last message ends, from the first batch's request. */
  ms: number;
  /** Batches received. */
  batches: number;
  /** The most messages handled at once. */
  mostInFlight: number;
  /** How `ms` was worked out, for a bench to print. */
  how: string;
}

/**
 * The listener's rule run over messages queued in this order, each taking exactly `durationsMs[i]` once
 * received (a receive itself takes no time): a batch of up to `batchSize` at the start and whenever the
 * messages in flight drop to `newBatchThreshold`, counted one ending at a time (two ending at the same
 * moment are two steps, the earlier received first). Every message is queued before the first receive.
 *
 * For messages that each take at least d, this is the least the host can do: a batch is asked for only
 * when no more than `newBatchThreshold` are in flight, and the `batchSize` received in the last batch
 * cannot end before d has passed, so batches are at least d apart. When all take exactly d the run meets
 * that bound, ⌈n ÷ batchSize⌉ × d: `batchSize` sustained, `MAX_IN_FLIGHT` only for the moment a batch
 * overlaps the end of the one before.
 */
export function simulateQueueListener(durationsMs: readonly number[]): ListenerRun {
  const { batchSize, newBatchThreshold } = queueHostOptions;
  // End times of the messages in flight, with the order they were received to break ties.
  const running: Array<{ end: number; order: number }> = [];
  let next = 0;
  let now = 0;
  let batches = 0;
  let mostInFlight = 0;
  const receive = () => {
    const take = Math.min(batchSize, durationsMs.length - next);
    for (let i = 0; i < take; i++, next++) running.push({ end: now + durationsMs[next]!, order: next });
    batches += 1;
    mostInFlight = Math.max(mostInFlight, running.length);
  };
  while (next < durationsMs.length || running.length > 0) {
    while (next < durationsMs.length && takesNewBatch(running.length)) receive();
    if (running.length === 0) break;
    let first = 0;
    for (let i = 1; i < running.length; i++) {
      const [a, b] = [running[i]!, running[first]!];
      if (a.end < b.end || (a.end === b.end && a.order < b.order)) first = i;
    }
    now = Math.max(now, running[first]!.end);
    running.splice(first, 1);
  }
  const how =
    `${durationsMs.length} messages through the host's queue listener (batchSize ${batchSize}, a new batch when ` +
    `${newBatchThreshold} or fewer are in flight, newBatchThreshold): ${batches} batches, at most ${mostInFlight} at once`;
  return { ms: now, batches, mostInFlight, how };
}
