import type { QueueClient } from '@azure/storage-queue';
import type { FunctionDefinition } from '../../functions/FunctionDefinition.js';
import type { Runtime } from '../../shared/wiring/createRuntime.js';
import { createInvocationContext, type LogSink } from './invocationContext.js';

type QueueDefinition = Extract<FunctionDefinition, { kind: 'storageQueue' }>;

/** host.json `extensions.queues`: the dev host applies the same values the Functions host reads. */
export const queueHostOptions = { maxDequeueCount: 5, batchSize: 16, visibilityTimeoutSeconds: 30 };

/**
 * One pass over every queue-triggered function's queue, as the Functions host's queue listener does:
 * base64-decode, invoke, delete on success; after `maxDequeueCount` failures move the message to
 * `{queue}-poison`. Returns how many messages were handled, so callers can drain until quiet.
 */
export async function pollQueuesOnce(
  definitions: FunctionDefinition[],
  runtime: Runtime,
  queueFor: (name: string) => QueueClient,
  sink: LogSink,
): Promise<number> {
  let handled = 0;
  for (const definition of definitions.filter((d): d is QueueDefinition => d.kind === 'storageQueue')) {
    const queue = queueFor(definition.queueName);
    await queue.createIfNotExists();
    const { receivedMessageItems } = await queue.receiveMessages({
      numberOfMessages: queueHostOptions.batchSize,
      visibilityTimeout: queueHostOptions.visibilityTimeoutSeconds,
    });
    await Promise.all(
      receivedMessageItems.map(async (item) => {
        handled += 1;
        const context = createInvocationContext(definition.name, sink, { id: item.messageId, dequeueCount: item.dequeueCount });
        try {
          await definition.handler(decode(item.messageText), context, runtime);
          await queue.deleteMessage(item.messageId, item.popReceipt);
        } catch (error) {
          sink(
            definition.name,
            'error',
            `failed (attempt ${item.dequeueCount}): ${error instanceof Error ? error.message : String(error)}`,
          );
          if (item.dequeueCount >= queueHostOptions.maxDequeueCount) {
            const poison = queueFor(`${definition.queueName}-poison`);
            await poison.createIfNotExists();
            await poison.sendMessage(item.messageText);
            await queue.deleteMessage(item.messageId, item.popReceipt);
          } else {
            // Make the message visible again soon instead of after the full timeout, so a local run converges.
            await queue.updateMessage(item.messageId, item.popReceipt, undefined, 1);
          }
        }
      }),
    );
  }
  return handled;
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
