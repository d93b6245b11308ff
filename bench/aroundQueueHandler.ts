import type { InvocationContext } from '@azure/functions';
import type { FunctionDefinition } from '../functions/FunctionDefinition.js';
import type { QueueDefinition } from '../local/devhost/runQueueFunctions.js';

/**
 * A queue function whose handler the host calls through `around`: it gets the handling (the function's
 * own handler with the host's message, context and runtime) and the invocation's context, and must call
 * the handling once, passing on its outcome. Refuses a function that is not queue-triggered.
 */
export function aroundQueueHandler(
  queue: FunctionDefinition,
  around: (handle: () => Promise<void>, context: InvocationContext) => Promise<void>,
): QueueDefinition {
  if (queue.kind !== 'storageQueue') throw new Error(`${queue.name} is not a queue function`);
  return { ...queue, handler: (message, context, runtime) => around(() => queue.handler(message, context, runtime), context) };
}
