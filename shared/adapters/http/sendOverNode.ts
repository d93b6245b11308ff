import { createTracingClient } from '@azure/core-tracing';
import type { Agent, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** A request as node:http(s) sends it, with a deadline so none waits for ever. */
export interface NodeRequest {
  method: string;
  headers: OutgoingHttpHeaders;
  body?: string | Uint8Array | null | undefined;
  /** The pool of connections to send over (node's global agent when absent). */
  agent?: Agent;
  /** No whole answer this long after sending rejects with an error named `AbortError`, as fetch's `AbortSignal.timeout` does. */
  deadlineMs: number;
}

/** The answer, read whole: its status line and headers, and its body as sent (still encoded, if it was). */
export interface BufferedAnswer {
  message: IncomingMessage;
  body: Buffer;
}

/** Sends one request and reads its whole answer; see `createNodeSender`. */
export type NodeSender = (url: string, request: NodeRequest) => Promise<BufferedAnswer>;

/**
 * Vigil's own HTTP requests over node:http(s), where fetch (undici) cost more CPU than its small requests and
 * answers need (Graph's pages, the token requests: tenant sign-ins and refreshes): one request and its whole
 * answer. A request made in a promise's continuation (as every SDK call is) leaves only once no microtask is
 * left: ClientRequest writes it in a nextTick, which Node runs after the microtask queue drains, so a caller
 * that goes on working must yield to the event loop first (createDirectoryPager does). A socket error, a reset,
 * a close before the whole answer arrived or a missed deadline rejects; an answer is never left waiting. Each
 * request is a client span through the Azure SDKs' tracing hook, as their own requests are
 * (core-rest-pipeline's tracingPolicy: `http.url`, which Vigil's instrumenter redacts, its status, the
 * invocation's trace, `traceparent` sent on): undici's requests were traced through its diagnostics
 * channels, which node:http does not feed. `namespace` names the service in Application Insights (`az.namespace`).
 */
export function createNodeSender(namespace: string, packageName: string): NodeSender {
  const tracing = createTracingClient({ namespace, packageName });
  return async (url, request) => {
    const { method } = request;
    const { span, updatedOptions } = tracing.startSpan(
      `HTTP ${method}`,
      {},
      { spanKind: 'client', spanAttributes: { 'http.method': method, 'http.url': url } },
    );
    const headers = span.isRecording()
      ? { ...request.headers, ...tracing.createRequestHeaders(updatedOptions.tracingOptions?.tracingContext) }
      : request.headers;
    try {
      const answer = await exchange(url, { ...request, headers });
      const status = answer.message.statusCode ?? 0;
      span.setAttribute('http.status_code', status);
      span.setStatus({ status: status < 400 ? 'success' : 'error' });
      return answer;
    } catch (error) {
      if (error instanceof Error) span.recordException(error);
      span.setStatus({ status: 'error' });
      throw error;
    } finally {
      span.end();
    }
  };
}

/** Whether a node sender's request failed for its deadline (rather than its connection). */
export const isPastDeadline = (error: unknown): boolean => error instanceof Error && error.name === 'AbortError';

/** What the exchange itself raised, told apart by identity: the errors keep their own class, name and code. */
const exchangeFailures = new WeakSet<Error>();

/**
 * Whether a node sender's request failed in its exchange with the server: its deadline, or its connection (a
 * socket or TLS error, a reset, a close before the whole answer). A request that could not be made at all (an
 * invalid URL or header) is no such failure: it is a bug, and its caller should let it throw.
 */
export const isExchangeFailure = (error: unknown): boolean => error instanceof Error && exchangeFailures.has(error);

/** The exchange failures that came over a reused kept-alive connection before any answer (see `isStaleConnection`). */
const staleConnectionFailures = new WeakSet<Error>();

/**
 * Whether a node sender's request failed on a kept-alive connection it reused (`request.reusedSocket`), before
 * the answer's status line and headers arrived, and not for its deadline: the race Node's http documentation
 * describes for `request.reusedSocket`, where the server closes an idle connection just as a request is sent on
 * it (nodejs.org/api/http.html#requestreusedsocket), whose own example retries such a request. Whether resending
 * is safe depends on the method: the server may have read the request before the connection dropped.
 */
export const isStaleConnection = (error: unknown): boolean => error instanceof Error && staleConnectionFailures.has(error);

function exchange(url: string, request: NodeRequest): Promise<BufferedAnswer> {
  const { method, headers, agent, deadlineMs } = request;
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    // Made before the deadline is set: a request that cannot be made (ERR_INVALID_URL) throws here, leaving no timer behind.
    let answered = false;
    const sent = send(url, { method, headers, ...(agent ? { agent } : {}) }, (message) => {
      answered = true;
      const chunks: Buffer[] = [];
      message.on('data', (chunk: Buffer) => chunks.push(chunk));
      message.on('end', () => {
        clearTimeout(deadline);
        resolve({ message, body: Buffer.concat(chunks) });
      });
      message.on('error', fail);
      // A reset mid-answer arrives as 'error'; a close before the answer is complete without one fails it too, never waits.
      message.on('close', () => message.complete || fail(new Error('the connection closed before the whole answer arrived')));
    });
    const fail = (error: Error) => {
      exchangeFailures.add(error);
      if (!answered && sent.reusedSocket && !isPastDeadline(error)) staleConnectionFailures.add(error);
      clearTimeout(deadline);
      reject(error);
    };
    // Rejected first, then the socket destroyed: whatever the socket reports next, the deadline is what failed.
    const deadline = setTimeout(() => {
      const late = Object.assign(new Error(`no answer within ${deadlineMs} ms`), { name: 'AbortError' });
      fail(late);
      sent.destroy(late);
    }, deadlineMs).unref();
    sent.on('error', fail);
    sent.end(request.body ?? undefined);
  });
}
