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
