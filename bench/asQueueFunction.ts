import type { FunctionDefinition } from '../functions/FunctionDefinition.js';
import type { QueueDefinition } from '../local/devhost/runQueueFunctions.js';

/** The function as the queue function a bench drives, or an error naming it when it is not queue-triggered. */
export function asQueueFunction(definition: FunctionDefinition): QueueDefinition {
  if (definition.kind !== 'storageQueue') throw new Error(`${definition.name} is not a queue function`);
  return definition;
}
