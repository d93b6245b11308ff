import type { QueueClient } from '@azure/storage-queue';
import type { FunctionDefinition } from '../functions/FunctionDefinition.js';
import { simulateQueueListener } from '../local/devhost/queueListener.js';
import { notMeasured, unjudged, type BenchFigure } from './benchGoals.js';

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
 * done with it: its delete settled, or for a failed attempt, its update back to the queue.
 */
export interface HandledMessage {
  start: number;
  end: number;
  deleted: number;
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
  /** From a handler's end to its delete settling (a failed attempt: its update back to the queue). */
  meanDeleteMs: number;
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
    evenHandlersMs: simulateQueueListener(durations.map(() => mean(durations))).ms,
    meanHandlerMs: mean(durations),
    meanStartDelayMs: mean(rows.map((r) => r.start - r.received)),
    lastStartDelayMs: mean(rows.filter((r) => r.last).map((r) => r.start - r.received)),
    meanDeleteMs: mean(rows.map((r) => r.deleted - r.end)),
    meanReceiveMs: mean(batches.map((b) => b.settled - b.requested)),
  };
}

type QueueDefinition = Extract<FunctionDefinition, { kind: 'storageQueue' }>;

/**
 * Records a queue-driven run for `splitListenerWall`, each delivery apart (deliveryOf): `queue` wraps the
 * listener's queue client (each receive, and each delete or update back to the queue, by the pop receipt
 * the receive handed out), `definition` the queue function's handler as the host calls it (its start and
 * end, by the message id and dequeue count in the trigger's metadata).
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
  const done = (popReceipt: string) => {
    const delivery = receipts.get(popReceipt);
    const h = delivery === undefined ? undefined : handled.get(delivery);
    if (h) h.deleted = performance.now();
  };
  return {
    queue: (client) =>
      new Proxy(client, {
        get(target, key, receiver) {
          const value: unknown = Reflect.get(target, key, receiver);
          if (key === 'receiveMessages') {
            return async (...args: Parameters<QueueClient['receiveMessages']>) => {
              const requested = performance.now();
              const answer = await target.receiveMessages(...args);
              const deliveries = answer.receivedMessageItems.map((m) => {
                const delivery = deliveryOf(m.messageId, m.dequeueCount);
                receipts.set(m.popReceipt, delivery);
                return delivery;
              });
              batches.push({ requested, settled: performance.now(), deliveries });
              return answer;
            };
          }
          if (key === 'deleteMessage') {
            return async (...args: Parameters<QueueClient['deleteMessage']>) => {
              const answer = await target.deleteMessage(...args);
              done(args[1]);
              return answer;
            };
          }
          if (key === 'updateMessage') {
            return async (...args: Parameters<QueueClient['updateMessage']>) => {
              const answer = await target.updateMessage(...args);
              done(args[1]);
              return answer;
            };
          }
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      }),
    definition(queue) {
      if (queue.kind !== 'storageQueue') throw new Error(`${queue.name} is not a queue function`);
      const handler: QueueDefinition['handler'] = async (message, context, runtime) => {
        const start = performance.now();
        try {
          await queue.handler(message, context, runtime);
        } finally {
          const { id, dequeueCount } = context.triggerMetadata ?? {};
          const end = performance.now();
          if (typeof id === 'string' && typeof dequeueCount === 'number')
            handled.set(deliveryOf(id, dequeueCount), { start, end, deleted: end });
        }
      };
      return { ...queue, handler };
    },
    split: (started, wallMs) => splitListenerWall(started, wallMs, batches, handled),
  };
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const ms = (n: number) => `${Math.round(n)} ms`;

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

const HANDLERS_ALONE = 'wall ÷ floor: handlers alone';
const DISPATCH = 'wall ÷ floor: dispatch';

/**
 * The split as two figures against the floor, beside wall ÷ floor (which they add up to by construction):
 * the handlers alone, and the rest (dispatch), with how each part was measured; both not measured, with the reason,
 * when the split could not be worked out. No goal: issue 15 sets none.
 */
export function listenerFigures(label: string, split: MeasuredSplit, wallMs: number, floorMs: number): BenchFigure[] {
  if ('unmeasured' in split) return [HANDLERS_ALONE, DISPATCH].map((metric) => notMeasured(label, metric, null, split.unmeasured));
  const dispatchMs = wallMs - split.handlersMs;
  return [
    unjudged(
      label,
      HANDLERS_ALONE,
      split.handlersMs / floorMs,
      `the host's listener rule over the ${split.messages.toLocaleString('en')} measured handler durations, each admitted the moment the rule allows: ${s(split.handlersMs)}; ` +
        `over as many of their mean ${ms(split.meanHandlerMs)}: ${s(split.evenHandlersMs)}, the rest their spread`,
    ),
    unjudged(
      label,
      DISPATCH,
      dispatchMs / floorMs,
      `wall ${s(wallMs)} − handlers alone ${s(split.handlersMs)} = ${s(dispatchMs)}: planner ${s(split.plannerMs)} (to the first receive, the queue's createIfNotExists included); ` +
        `messages beyond their handlers ${s(split.messagesMs)} (a handler starts a mean ${ms(split.meanStartDelayMs)} after its batch's receive, ` +
        `the last of a batch of two or more ${ms(split.lastStartDelayMs)}; delete ${ms(split.meanDeleteMs)}); ` +
        `listener ${s(split.listenerMs)} (${split.receives} receives, ${split.batches} with messages, a mean ${ms(split.meanReceiveMs)} each)`,
    ),
  ];
}
