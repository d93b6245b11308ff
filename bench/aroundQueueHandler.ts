import type { InvocationContext } from '@azure/functions';
import type { FunctionDefinition } from '../functions/FunctionDefinition.js';
import type { QueueDefinition } from '../local/devhost/runQueueFunctions.js';
import { asQueueFunction } from './asQueueFunction.js';

/**
 * A queue function whose handler the host calls through `around`: it gets the handling (the function's
 * own handler with the host's message, context and runtime) and the invocation's context, and must call
 * the handling once, passing on its outcome. Refuses a function that is not queue-triggered.
 */
export function aroundQueueHandler(
  queue: FunctionDefinition,
  around: (handle: () => Promise<void>, context: InvocationContext) => Promise<void>,
): QueueDefinition {
  const definition = asQueueFunction(queue);
  return { ...definition, handler: (message, context, runtime) => around(() => definition.handler(message, context, runtime), context) };
}
