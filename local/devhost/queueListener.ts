/**
 * One model of the Functions host's queue listener, the single home of its concurrency: the dev host's
 * listener (`drainQueuesLikeHost`), the bench's drivers and the bench's floors all admit messages by
 * `takesNewBatch`, with host.json's values (`test/local/devhost/queueListener.test.ts` holds them to it).
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
