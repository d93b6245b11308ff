import type { FunctionDefinition } from '../../functions/FunctionDefinition.js';
import type { LogSink } from '../../local/devhost/invocationContext.js';
import { pollQueuesOnce } from '../../local/devhost/runQueueFunctions.js';
import type { Runtime } from '../../shared/wiring/createRuntime.js';

/**
 * Runs the queue functions a pass at a time (pollQueuesOnce: one batch of each queue, as the host's listener takes
 * one) until a pass finds no message, those the handlers queued meanwhile included, over `runtime`'s queues: how many
 * were handled in all. `sink` takes the handlers' log lines (dropped unless given).
 */
export async function drainQueues(definitions: FunctionDefinition[], runtime: Runtime, sink: LogSink = () => undefined): Promise<number> {
  let total = 0;
  for (;;) {
    const handled = await pollQueuesOnce(definitions, runtime, (name) => runtime.queue(name), sink);
    if (handled === 0) return total;
    total += handled;
  }
}
