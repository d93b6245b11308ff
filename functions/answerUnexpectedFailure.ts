import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { problemTypes } from '../shared/api/problemTypes.js';
import { describeError } from '../shared/helpers/describeError.js';
import { escapeHtml } from '../shared/helpers/escapeHtml.js';
import type { Runtime } from '../shared/wiring/createRuntime.js';
import type { FunctionDefinition } from './FunctionDefinition.js';
import { problem } from './problem.js';

type HttpHandler = Extract<FunctionDefinition, { kind: 'http' }>['handler'];

/**
 * Runs an HTTP handler so that a throw (a bug, a failure no use case translates) answers a 500
 * `urn:vigil:problem:internal` (a page saying the same to a browser) instead of the host's bare 500:
 * with the invocation id and the Application Insights operation id (the W3C trace id) the on-call can
 * look the failure up by, and no exception text, which can quote a request or a secret. The error is
 * logged once, in the invocation's log, by `describeError` (status and codes only), counted in
 * `vigil.http.unexpected` by route template, and marked as an error in the invocation's trace.
 *
 * This departs from STYLE §9 ("unknown exceptions propagate so the host records a failure"), on purpose
 * (docs/deploy.md "Unexpected failures"): a thrown error would reach the caller as the host's bare 500,
 * with nothing to quote. The host then records an answered invocation as a success
 * (azure-functions-host#6511), so the count and the trace's error status are what reach the alert and the
 * person looking.
 */
export async function answerUnexpectedFailure(
  { handler, route }: { handler: HttpHandler; route: string },
  request: HttpRequest,
  context: InvocationContext,
  runtime: Runtime,
): Promise<HttpResponseInit> {
  try {
    return await handler(request, context, runtime);
  } catch (error) {
    const operationId = traceIdOf(context.traceContext?.traceParent);
    const ids = { invocationId: context.invocationId, ...(operationId ? { operationId } : {}) };
    // The route's template, not the request's path: a path can carry a secret (a sign-in link's `sign-in/{link}`).
    // One record, in the invocation's log: the host sends it to Application Insights with the operation id,
    // and the dev host prints it.
    const reason = describeError(error);
    context.error(`${request.method} /api/${route} failed unexpectedly: ${reason} (invocation ${context.invocationId})`);
    runtime.telemetry.count('unexpectedFailures', { route });
    runtime.telemetry.recordFailure(`${request.method} /api/${route}`, reason);
    const detail =
      `Vigil failed unexpectedly and did not finish this request. Quote invocation ${context.invocationId}` +
      `${operationId ? ` (operation ${operationId})` : ''} to whoever runs Vigil; the error is in its logs.`;
    // A browser (the status page, a sign-in page) gets a page saying the same; programs get the problem.
    if (/\btext\/html\b/i.test(request.headers.get('accept') ?? '')) return errorPage(detail);
    return problem('internal', detail, { ...ids, headers: { 'cache-control': 'no-store' } });
  }
}

function errorPage(detail: string): HttpResponseInit {
  const { status, title } = problemTypes.internal;
  return {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'",
      'referrer-policy': 'no-referrer',
    },
    body: `<!doctype html><meta charset="utf-8"><title>Vigil: ${escapeHtml(title)}</title><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p>`,
  };
}

/** The trace id of a W3C `traceparent` (`00-<trace id>-<span id>-<flags>`): Application Insights' operation id. */
function traceIdOf(traceParent: string | null | undefined): string | undefined {
  return /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/i.exec(traceParent ?? '')?.[1];
}
