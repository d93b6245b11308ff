/**
 * The names of the errors JavaScript and Node raise for a fault in the code or its input (Node's ERR_INVALID_URL
 * and ERR_INVALID_ARG_TYPE are TypeErrors; NodeHttpMessageHandler refuses what it cannot send with one), which no
 * connection raises: the node sender's exchange failures reach the Graph client as GraphConnectionErrors and
 * `AbortError`s. Not RangeError: an answer's status outside 200–599 (refused by the Response constructor that
 * BufferedResponse's `super()` calls, for NodeHttpMessageHandler's answers) or memory pressure ("Array buffer
 * allocation failed") raises one, and neither is Vigil's fault. A JSON body Graph garbled is no
 * SyntaxError here: the Graph client gives an error with an answer that answer's status.
 */
const programmingErrors = new Set(['TypeError', 'ReferenceError', 'SyntaxError']);

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

/**
 * What a log may keep of a vigilFault, for the person its reason sends to Vigil's logs: the error's class (and
 * Node's code), then its stack's frames. Never its message, which can quote the URL: a stack's first lines
 * repeat the message, so only its `at` lines are kept (the Graph client's error carries the stack of the one it wraps).
 */
export function vigilFaultTrace(error: unknown): string {
  const e = (error ?? {}) as { code?: unknown; name?: unknown; stack?: unknown };
  const labels = [e.code, e.name].filter((label): label is string => typeof label === 'string' && label !== '');
  const kind = labels.find((label) => programmingErrors.has(label)) ?? labels[0] ?? 'an error without a name';
  const code = typeof e.code === 'string' && e.code !== '' && e.code !== kind ? ` (${e.code})` : '';
  const frames = typeof e.stack === 'string' ? e.stack.split('\n').filter((line) => /^\s+at /.test(line)) : [];
  return [`${kind}${code}`, ...frames].join('\n');
}
