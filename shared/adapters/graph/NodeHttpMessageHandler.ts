import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';
import { BufferedResponse } from '../http/BufferedResponse.js';
import { createNodeSender, isExchangeFailure, isPastDeadline, isStaleConnection, type NodeSender } from '../http/sendOverNode.js';
import { socketCodeOf } from '../../helpers/socketCodeOf.js';
import { GraphUnansweredError } from './GraphUnansweredError.js';

/** What fetch asks for: Graph compresses its JSON for a client that accepts it. */
const ACCEPT_ENCODING = 'gzip, deflate, br';
const decoders: Record<string, (body: Buffer) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
};
/**
 * No whole answer this long after sending fails the request (an `AbortError`, retried as a connection error).
 * fetch waited as long for an answer's headers (undici's headersTimeout), then as long again between its
 * body's chunks; a page of 999 applications is a few hundred kB, whole in far less.
 */
export const GRAPH_DEADLINE_MS = 300_000;
/**
 * The methods RFC 9110 §9.2.2 defines as idempotent: sending one twice has the effect of sending it once, so one
 * that failed on a kept-alive connection the server had just closed may be sent again (`isStaleConnection`).
 * Not POST (Graph's addPassword, removePassword, sendMail) nor PATCH: a reset before any answer does not prove
 * the server never read the request (it may have, then dropped the connection), and RFC 9112 §9.3.1 forbids
 * retrying a non-idempotent request automatically without a means to know it was never applied. Their callers
 * get the connection error, as before (the rotation's addPassword reports that the secret may exist). The Graph
 * client's RetryHandler, before this handler, resends any request, POST too, after a 429, 503 or 504 answer
 * unless its caller switches it off (noClientRetries, as addPassword does).
 */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
/** Answers that have no body, by definition (Response refuses one). */
const NO_BODY = new Set([101, 204, 205, 304]);

/**
 * The Graph client's last middleware, in place of its HTTPMessageHandler (which calls `fetch`): the same
 * request over node:http(s), answered as a fetch `Response` (a BufferedResponse: its body already whole, read
 * without a web stream). fetch cost 0.55–0.9 ms of CPU more than this per Graph request (its Request, Headers
 * and web streams), the largest share of a many-tenant scan's own CPU that one change could remove. Redirects
 * stay the RedirectHandler's (none followed here), and `url` is set on the answer as fetch sets it: that
 * handler drops the token on a redirect to another host by comparing it.
 * Each request is a client span (createNodeSender), as fetch's were through undici's diagnostics channels.
 * An idempotent request that failed on a reused kept-alive connection before any answer is sent again once,
 * at once (IDEMPOTENT), as Node's documentation for `request.reusedSocket` does in its example.
 *
 * It sends what Vigil's Graph clients send: a URL string (the Graph client's own; its RedirectHandler keeps
 * one a string), with no body, a string (the client's JSON) or bytes. A Request object, an abort signal
 * (`.option('signal', …)`, which only the mail sender sets, on its own fetch client) or a stream or form
 * body is refused with a TypeError naming it, before anything is sent: a fault in Vigil, which
 * classifyGraphError reports at once rather than retrying as a connection error. (It went to fetch, a path
 * no Vigil request took, so nothing tested it.)
 */
export class NodeHttpMessageHandler implements Middleware {
  private readonly send = createNodeSender('Microsoft.Graph', 'vigil-graph');

  async execute(context: Context): Promise<void> {
    // `RequestInfo` (a URL string or a Request): a DOM type outside this project's libraries.
    const request = context.request as string | Request;
    const options = context.options ?? {};
    const unsupported = unsupportedPartOf(request, options);
    if (unsupported) throw new TypeError(`Vigil's Graph requests over node:https cannot send ${unsupported}`);
    context.response = await sendAsFetch(this.send, request as string, options);
  }
}

/** What of a request this handler does not send, or undefined when it sends all of it. */
function unsupportedPartOf(request: string | Request, options: RequestInit): string | undefined {
  const { body } = options;
  if (typeof request !== 'string') return 'a Request object';
  if (options.signal) return 'an abort signal';
  if (body != null && typeof body !== 'string' && !(body instanceof Uint8Array)) return 'a body that is neither a string nor bytes';
  return undefined;
}

async function sendAsFetch(sender: NodeSender, url: string, options: RequestInit): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers = headersOf(options.headers);
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'accept-encoding')) headers['accept-encoding'] = ACCEPT_ENCODING;
  const body = options.body as string | Uint8Array | null | undefined;
  const request = { method, headers, body, deadlineMs: GRAPH_DEADLINE_MS };
  const sentAt = Date.now();
  // Once, at once: the Graph SDK's RetryHandler retries answers only, so without this every Graph call outside
  // the pager (owners, the rotation's reads) failed as an outage when Graph had closed an idle connection. The
  // resend has what is left of the first one's deadline: one request, one deadline.
  const answer = await sender(url, request)
    .catch((error: unknown) => {
      const left = GRAPH_DEADLINE_MS - (Date.now() - sentAt);
      if (IDEMPOTENT.has(method.toUpperCase()) && isStaleConnection(error) && left > 0)
        return sender(url, { ...request, deadlineMs: left });
      throw error;
    })
    .catch((error: unknown) => {
      // Named so it survives the Graph client's wrapping (GraphUnansweredError); the deadline's AbortError already is.
      throw isExchangeFailure(error) && !isPastDeadline(error) ? new GraphUnansweredError(socketCodeOf(error)) : error;
    });
  const status = answer.message.statusCode ?? 0;
  const encoding = answer.message.headers['content-encoding']?.toLowerCase();
  const decode = encoding ? decoders[encoding] : undefined;
  const content = NO_BODY.has(status) ? null : decode && answer.body.length > 0 ? await decode(answer.body) : answer.body;
  const init = { status, statusText: answer.message.statusMessage ?? '', headers: pairsOf(answer.message.rawHeaders) };
  return new BufferedResponse(content, init, url);
}

/** The Graph client's headers: a plain object as it builds them, or whatever fetch would take. */
function headersOf(init: RequestInit['headers']): Record<string, string> {
  if (!init) return {};
  if (init instanceof Headers || Array.isArray(init)) return Object.fromEntries(new Headers(init).entries());
  return Object.fromEntries(Object.entries(init).map(([name, value]) => [name, typeof value === 'string' ? value : value.join(', ')]));
}

/** node's raw header list (name, value, name, value…) as the pairs a Headers takes, repeated names kept. */
function pairsOf(raw: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
  return pairs;
}
