/**
 * The names of the errors JavaScript and Node raise for a fault in the code or its input (Node's ERR_INVALID_URL
 * and ERR_INVALID_ARG_TYPE are TypeErrors; NodeHttpMessageHandler refuses what it cannot send with one), which no
 * connection raises: the node sender's exchange failures reach the Graph client as GraphUnansweredErrors and
 * `AbortError`s. Not RangeError: an answer's status outside 200–599 (refused by the Response constructor that
 * BufferedResponse's `super()` calls, for NodeHttpMessageHandler's answers) or memory pressure ("Array buffer
 * allocation failed") raises one, and neither is Vigil's fault. A JSON body Graph garbled is no
 * SyntaxError here: the Graph client gives an error with an answer that answer's status.
 */
export const programmingErrors: ReadonlySet<string> = new Set(['TypeError', 'ReferenceError', 'SyntaxError']);

/**
 * Whether a Graph client's error (status -1: no answer) is a request Vigil could not make: a fault in Vigil or
 * its settings (a login or Graph host that makes no URL), not an outage, so never retried as one. The Graph
 * client names the error it wraps in `code`; one thrown past it (Node's, `code` ERR_INVALID_URL) by its `name`.
 */
export function isVigilFault(error: unknown): boolean {
  const e = (error ?? {}) as { statusCode?: unknown; code?: unknown; name?: unknown };
  const unanswered = typeof e.statusCode !== 'number' || e.statusCode === -1;
  return unanswered && [e.code, e.name].some((label) => typeof label === 'string' && programmingErrors.has(label));
}
