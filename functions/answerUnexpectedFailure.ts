import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { describeError } from '../shared/helpers/describeError.js';
import type { Runtime } from '../shared/wiring/createRuntime.js';
import type { FunctionDefinition } from './FunctionDefinition.js';
import { problem } from './problem.js';

type HttpHandler = Extract<FunctionDefinition, { kind: 'http' }>['handler'];

/**
 * Runs an HTTP handler so that a throw (a bug, a failure no use case translates) answers a 500
 * `urn:vigil:problem:internal` instead of the host's bare 500: with the invocation id and the Application
 * Insights operation id (the W3C trace id) the on-call can look the failure up by, and no exception text,
 * which can quote a request or a secret. The error is logged by `describeError` (status and codes only)
 * and counted in `vigil.http.unexpected`: the host records an answered invocation as a success
 * (azure-functions-host#6511), so without that count the failure would reach no alert.
 */
export async function answerUnexpectedFailure(
  handler: HttpHandler,
  request: HttpRequest,
  context: InvocationContext,
  runtime: Runtime,
): Promise<HttpResponseInit> {
  try {
    return await handler(request, context, runtime);
  } catch (error) {
    const operationId = traceIdOf(context.traceContext?.traceParent);
    const ids = { invocationId: context.invocationId, ...(operationId ? { operationId } : {}) };
    context.error(
      `${request.method} ${new URL(request.url).pathname} failed unexpectedly: ${describeError(error)} (invocation ${context.invocationId})`,
    );
    // Within the invocation's trace, so the record carries the operation id already.
    runtime.telemetry.log('error', 'HTTP request failed unexpectedly', {
      function: context.functionName,
      invocationId: context.invocationId,
    });
    runtime.telemetry.count('unexpectedFailures', {});
    return problem(
      'internal',
      `Vigil failed unexpectedly and did not finish this request. Quote invocation ${context.invocationId}` +
        `${operationId ? ` (operation ${operationId})` : ''} to whoever runs Vigil; the error is in its logs.`,
      { ...ids, headers: { 'cache-control': 'no-store' } },
    );
  }
}

/** The trace id of a W3C `traceparent` (`00-<trace id>-<span id>-<flags>`): Application Insights' operation id. */
function traceIdOf(traceParent: string | null | undefined): string | undefined {
  return /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/i.exec(traceParent ?? '')?.[1];
}
