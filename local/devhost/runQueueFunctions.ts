import type { QueueClient } from '@azure/storage-queue';
import type { FunctionDefinition } from '../../functions/FunctionDefinition.js';
import type { Runtime } from '../../shared/wiring/createRuntime.js';
import { poisonQueueOf } from '../../shared/adapters/storage/queueNames.js';
import { createInvocationContext, type LogSink } from './invocationContext.js';
import { listenLikeHost, queueHostOptions } from './queueListener.js';

/** A queue-triggered function, as the listener hands it each message. */
export type QueueDefinition = Extract<FunctionDefinition, { kind: 'storageQueue' }>;

/**
 * How long a message being handled stays invisible. host.json's `visibilityTimeout` is the delay before a
 * failed message is retried, not this: the host keeps a running message hidden until it ends, so here it
 * is hidden for the longest a function may run (host.json `functionTimeout`, 10 minutes).
 */
const PROCESSING_VISIBILITY_SECONDS = 600;

type ReceivedMessage = Awaited<ReturnType<QueueClient['receiveMessages']>>['receivedMessageItems'][number];

/**
 * One pass over every queue-triggered function's queue: one batch each, handled, as the Functions host's
 * queue listener does. Tests use it to step through a fan-out; `drainQueuesLikeHost` runs until quiet.
 * Returns how many messages were handled.
 */
export async function pollQueuesOnce(
  definitions: FunctionDefinition[],
  runtime: Runtime,
  queueFor: (name: string) => QueueClient,
  sink: LogSink,
): Promise<number> {
  let handled = 0;
  for (const definition of queueDefinitions(definitions)) {
    const queue = queueFor(definition.queueName);
    await queue.createIfNotExists();
    const items = await receiveBatch(queue);
    await Promise.all(items.map((item) => handleMessage(definition, item, queue, runtime, queueFor, sink)));
    handled += items.length;
  }
  return handled;
}

/**
 * Every queue function's listener, run the way the Functions host runs them until their queues are
 * empty: a listener asks for a batch (`batchSize`) whenever the messages it is handling drop to
 * `newBatchThreshold` (queueListener.ts `listenLikeHost`, the rule the bench's floors simulate), so
 * between 8 and 24 are in flight and one slow message never holds up a batch.
 * Returns how many messages were handled.
 */
export async function drainQueuesLikeHost(
  definitions: FunctionDefinition[],
  runtime: Runtime,
  queueFor: (name: string) => QueueClient,
  sink: LogSink,
): Promise<number> {
  const handled = await Promise.all(
    queueDefinitions(definitions).map((definition) => listenUntilEmpty(definition, runtime, queueFor, sink)),
  );
  return handled.reduce((a, b) => a + b, 0);
}

async function listenUntilEmpty(
  definition: QueueDefinition,
  runtime: Runtime,
  queueFor: (name: string) => QueueClient,
  sink: LogSink,
): Promise<number> {
  const queue = queueFor(definition.queueName);
  await queue.createIfNotExists();
  // No producer runs beside it: it stops once its queue reads empty with nothing in flight (the dev host drains again after work).
  return listenLikeHost({ receive: () => receiveBatch(queue), producing: () => false, whenMore: () => Promise.resolve() }, (item) =>
    handleMessage(definition, item, queue, runtime, queueFor, sink),
  );
}

function queueDefinitions(definitions: FunctionDefinition[]): QueueDefinition[] {
  return definitions.filter((d): d is QueueDefinition => d.kind === 'storageQueue');
}

async function receiveBatch(queue: QueueClient): Promise<ReceivedMessage[]> {
  const { receivedMessageItems } = await queue.receiveMessages({
    numberOfMessages: queueHostOptions.batchSize,
    visibilityTimeout: PROCESSING_VISIBILITY_SECONDS,
  });
  return receivedMessageItems;
}

/** Base64-decode, invoke, delete on success; after `maxDequeueCount` failures move the message to `{queue}-poison`. */
async function handleMessage(
  definition: QueueDefinition,
  item: ReceivedMessage,
  queue: QueueClient,
  runtime: Runtime,
  queueFor: (name: string) => QueueClient,
  sink: LogSink,
): Promise<void> {
  const context = createInvocationContext(definition.name, sink, {
    id: item.messageId,
    dequeueCount: item.dequeueCount,
    insertionTime: item.insertedOn.toISOString(),
  });
  try {
    await definition.handler(decode(item.messageText), context, runtime);
    await queue.deleteMessage(item.messageId, item.popReceipt);
  } catch (error) {
    sink(definition.name, 'error', `failed (attempt ${item.dequeueCount}): ${error instanceof Error ? error.message : String(error)}`);
    if (item.dequeueCount >= queueHostOptions.maxDequeueCount) {
      const poison = queueFor(poisonQueueOf(definition.queueName));
      await poison.createIfNotExists();
      await poison.sendMessage(item.messageText);
      await queue.deleteMessage(item.messageId, item.popReceipt);
    } else {
      // Visible again after 1 s rather than host.json's `visibilityTimeout` (30 s), so a local run converges.
      await queue.updateMessage(item.messageId, item.popReceipt, undefined, 1);
    }
  }
}

/** The trigger hands JSON messages to the handler parsed, and anything else as a string. */
function decode(messageText: string): unknown {
  const text = Buffer.from(messageText, 'base64').toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
