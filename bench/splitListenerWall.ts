import { simulateQueueListener } from '../local/devhost/queueListener.js';

/**
 * One delivery of a message: its id and how many times it has been received (`dequeueCount`). A message
 * whose handler failed comes back in a later batch as another delivery, timed apart from the first.
 */
export const deliveryOf = (messageId: string, dequeueCount: number): string => `${messageId}#${dequeueCount}`;

/** One batch as the listener asked for it and got it (`performance.now()`), with its deliveries (deliveryOf) in order. */
export interface ReceivedBatch {
  requested: number;
  settled: number;
  deliveries: readonly string[];
}

/**
 * One delivery's handling (`performance.now()`): its handler's start and end, and when the listener was
 * done with it: its delete settled, or for a failed attempt, its update back to the queue; for the last
 * failed attempt (its `dequeueCount` at the host's `maxDequeueCount`), its delete after the move to the
 * poison queue, so its time covers that queue's createIfNotExists and sendMessage too
 * (local/devhost/runQueueFunctions.ts). A delete or update that rejects (a stale pop receipt) settles
 * nothing: `deleted` stays where it was (`end`, when none settled) and `rejected` says so.
 */
export interface HandledMessage {
  start: number;
  end: number;
  deleted: number;
  rejected?: true;
}

/**
 * Where a queue-driven run's wall went, in four parts that add up to it (the last is the rest). The host's
 * rule is run over what was measured (simulateQueueListener, the floor's own rule). Every duration is
 * measured under the run's own crowding (the same CPU, the same Azurite), so a part says where the wall
 * went, not what the wall would be without that part: handlers alone on a machine with nothing else to
 * do would take less.
 */
export interface ListenerSplit {
  /**
   * From the run's start to the first batch's request: the planner queueing every message, then the
   * listener's queue `createIfNotExists` round trip (the dev host's listener, like the host's, makes sure
   * of its queue before its first receive).
   */
  plannerMs: number;
  /** The rule over each handler's measured duration, in the order received: the handlers alone, admitted at once. */
  handlersMs: number;
  /** The rule over as many handlers of their mean duration: `handlersMs` less what their spread costs (a batch waits for its 8th end). */
  evenHandlersMs: number;
  /**
   * The rule over each message's time from its batch's receive to its delete, minus `handlersMs`: what
   * the messages cost outside their handlers (starting behind the batch's earlier ones, the delete).
   */
  messagesMs: number;
  /** The rest: the listener's own (its receives' round trips, its waits between an end and the next batch). */
  listenerMs: number;
  /** Deliveries handled (a redelivered message counts once per delivery). */
  messages: number;
  /** Receives that brought messages. */
  batches: number;
  /** Every receive, the empty ones included (the last, which finds the queue empty, at least). */
  receives: number;
  meanHandlerMs: number;
  /** From a batch's receive to each of its handlers' start: the mean over all, and over the last of each batch of two or more. */
  meanStartDelayMs: number;
  lastStartDelayMs: number;
  /**
   * From a handler's end to its delete settling (a failed attempt: its update back to the queue; the last
   * failed attempt: its move to the poison queue and its delete).
   */
  meanDeleteMs: number;
  /** Deliveries whose delete (or update back to the queue) rejected: in `meanDeleteMs` at what settled, 0 ms if nothing did. */
  rejectedDeletes: number;
  /** A receive's round trip, over every receive (`receives`), the empty ones included. */
  meanReceiveMs: number;
}

const mean = (values: readonly number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);

/** The split of a run that started at `started` and lasted `wallMs`, from its batches and each delivery's handling (deliveryOf). */
export function splitListenerWall(
  started: number,
  wallMs: number,
  batches: readonly ReceivedBatch[],
  handled: ReadonlyMap<string, HandledMessage>,
): ListenerSplit {
  const rows = batches.flatMap((b) =>
    b.deliveries.map((delivery, i) => {
      const h = handled.get(delivery);
      if (!h) throw new Error(`message ${delivery} was received but never handled`);
      return { ...h, received: b.settled, last: i === b.deliveries.length - 1 && b.deliveries.length > 1 };
    }),
  );
  const durations = rows.map((r) => r.end - r.start);
  const meanHandlerMs = mean(durations);
  const handlersMs = simulateQueueListener(durations).ms;
  const inFlightMs = simulateQueueListener(rows.map((r) => r.deleted - r.received)).ms;
  const plannerMs = batches.length === 0 ? wallMs : batches[0]!.requested - started;
  return {
    plannerMs,
    handlersMs,
    messagesMs: inFlightMs - handlersMs,
    listenerMs: wallMs - plannerMs - inFlightMs,
    messages: rows.length,
    batches: batches.filter((b) => b.deliveries.length > 0).length,
    receives: batches.length,
    evenHandlersMs: simulateQueueListener(durations.map(() => meanHandlerMs)).ms,
    meanHandlerMs,
    meanStartDelayMs: mean(rows.map((r) => r.start - r.received)),
    lastStartDelayMs: mean(rows.filter((r) => r.last).map((r) => r.start - r.received)),
    meanDeleteMs: mean(rows.map((r) => r.deleted - r.end)),
    rejectedDeletes: rows.filter((r) => r.rejected).length,
    meanReceiveMs: mean(batches.map((b) => b.settled - b.requested)),
  };
}

/** The split, or why it could not be worked out (a diagnostic with no goal: the bench prints it as not measured and goes on). */
export type MeasuredSplit = ListenerSplit | { unmeasured: string };

/** The split of a recorded run, or why there is none: never an error, so a diagnostic cannot cost the bench its judged figures. */
export function measureSplit(split: () => ListenerSplit): MeasuredSplit {
  try {
    return split();
  } catch (error) {
    return { unmeasured: error instanceof Error ? error.message : String(error) };
  }
}
