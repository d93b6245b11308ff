import type { InvocationContext } from '@azure/functions';
import type { Runtime } from '../shared/wiring/createRuntime.js';
import type { FunctionDefinition } from './FunctionDefinition.js';
import { recordPoisonDepths } from './poisonQueues.js';
import { answerUnexpectedFailure } from './answerUnexpectedFailure.js';

/**
 * A definition whose handler runs inside the host's trace for the invocation and sends its telemetry
 * before returning; an HTTP handler that throws answers a 500 problem (`answerUnexpectedFailure`); a queue handler also
 * records how long its message waited, a timer the poison queues. `functionDefinitions`
 * applies it to every function, so the Functions host and the dev host both run instrumented handlers.
 */
export function instrumented(definition: FunctionDefinition): FunctionDefinition {
  switch (definition.kind) {
    case 'timer': {
      // Every timer run also counts the poison queues, so the poison alert's metric keeps arriving.
      const handler: Handler<'timer'> = (timer, context, runtime) =>
        within(context, runtime, async () => {
          await definition.handler(timer, context, runtime);
          await recordPoisonDepths(runtime);
        });
      return { ...definition, handler };
    }
    case 'http': {
      const handler: Handler<'http'> = (request, context, runtime) =>
        within(context, runtime, () => answerUnexpectedFailure(definition, request, context, runtime));
      return { ...definition, handler };
    }
    case 'storageQueue': {
      const handler: Handler<'storageQueue'> = (message, context, runtime) => {
        const insertionTime = context.triggerMetadata?.insertionTime;
        const queuedAt = typeof insertionTime === 'string' ? Date.parse(insertionTime) : Number.NaN;
        if (Number.isFinite(queuedAt))
          runtime.telemetry.record('queueAge', Math.max(0, (Date.now() - queuedAt) / 1000), { queue: definition.queueName });
        return within(context, runtime, () => definition.handler(message, context, runtime));
      };
      return { ...definition, handler };
    }
  }
}

type Handler<K extends FunctionDefinition['kind']> = Extract<FunctionDefinition, { kind: K }>['handler'];

function within<T>(context: InvocationContext, runtime: Runtime, work: () => Promise<T>): Promise<T> {
  return runtime.telemetry.run(context.traceContext?.traceParent ?? undefined, work);
}
