import { requestFailed } from '../../helpers/socketCodeOf.js';

/**
 * A Graph request that got no whole answer, for any reason but its deadline (the node sender's `AbortError`): its
 * connection failed (a socket or TLS error, a reset, a close) or the answer broke off or could not be taken (undici's
 * UND_ERR_RES_CONTENT_LENGTH_MISMATCH, UND_ERR_HEADERS_OVERFLOW, Node's HPE_…):
 * NodeHttpMessageHandler gives the node sender's exchange failure this name, and the mail client's handler
 * fetch's `fetch failed` (createMailGraphClient), which the Graph client keeps as its error's `code`, so a caller can
 * tell it from a request never sent (a sign-in that failed first). Its message is Vigil's words for it, with only
 * the error's code (socketCodeOf), which describeError reads back (requestFailed says which of the two it was).
 */
export class GraphUnansweredError extends Error {
  override readonly name = 'GraphUnansweredError';
  constructor(socketCode: string | undefined) {
    super(requestFailed('Graph', socketCode));
  }
}

/**
 * Whether a Graph client's error is a request sent without an answer: its exchange failed (GraphUnansweredError)
 * or its deadline passed (the node sender's `AbortError`), both after the request may have reached Graph. Not a
 * sign-in that failed before anything was sent, nor a request Vigil could not make.
 */
export function isUnansweredGraphError(error: unknown): boolean {
  const { statusCode, code } = (error ?? {}) as { statusCode?: unknown; code?: unknown };
  return statusCode === -1 && (code === 'AbortError' || code === 'GraphUnansweredError');
}
