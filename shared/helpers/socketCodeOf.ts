import { programmingErrors } from './programmingErrors.js';

/** A code as Node and undici give one (ECONNREFUSED, ERR_SSL_…, UND_ERR_SOCKET): letters, digits and underscores only. */
const CODE = /^[A-Z0-9_]+$/;

/**
 * Codes for a request Vigil made wrong, a closed set, so that nothing else is ever called a fault in Vigil: Node's
 * for a request it will not send (ERR_INVALID_URL, ERR_INVALID_ARG_TYPE, ERR_INVALID_HTTP_TOKEN, ERR_INVALID_CHAR,
 * ERR_UNESCAPED_CHARACTERS, ERR_HTTP_INVALID_HEADER_VALUE, ERR_HTTP_CONTENT_LENGTH_MISMATCH, ERR_MISSING_ARGS,
 * ERR_OUT_OF_RANGE) and undici's for fetch's arguments or a body that does not match its length (UND_ERR_INVALID_ARG,
 * UND_ERR_INVALID_RETURN_VALUE, UND_ERR_NOT_SUPPORTED, UND_ERR_REQ_CONTENT_LENGTH_MISMATCH).
 */
const BAD_REQUEST =
  /^(ERR_INVALID_[A-Z0-9_]+|ERR_UNESCAPED_CHARACTERS|ERR_HTTP_INVALID_HEADER_VALUE|ERR_HTTP_CONTENT_LENGTH_MISMATCH|ERR_MISSING_ARGS|ERR_OUT_OF_RANGE|UND_ERR_INVALID_ARG|UND_ERR_INVALID_RETURN_VALUE|UND_ERR_NOT_SUPPORTED|UND_ERR_REQ_CONTENT_LENGTH_MISMATCH)$/;

/**
 * Codes for a connection that failed: the system's (ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT, ENOTFOUND, EAI_AGAIN),
 * TLS's (ERR_SSL_…, ERR_TLS_…) and the certificate checks' that Node's TLS docs list as X509 certificate error codes
 * (CERT_…, CRL_…, UNABLE_TO_…, ERROR_IN_…, DEPTH_ZERO_SELF_SIGNED_CERT, SELF_SIGNED_CERT_IN_CHAIN, INVALID_CA,
 * PATH_LENGTH_EXCEEDED, INVALID_PURPOSE, HOSTNAME_MISMATCH; not OUT_OF_MEM, which is this process's), Node's for a
 * socket that timed out or closed while connecting (ERR_SOCKET_CONNECTION_TIMEOUT, ERR_SOCKET_CLOSED_BEFORE_CONNECTION)
 * and undici's socket, connect timeout and proxy TLS errors. Any other code (an answer cut short or too large, a
 * timeout after connecting) is neither this nor a fault.
 */
const CONNECTION =
  /^(E(?!RR_)[A-Z0-9_]+|ERR_SSL_[A-Z0-9_]+|ERR_TLS_[A-Z0-9_]+|CERT_[A-Z0-9_]+|CRL_[A-Z0-9_]+|UNABLE_TO_[A-Z0-9_]+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|INVALID_CA|PATH_LENGTH_EXCEEDED|INVALID_PURPOSE|HOSTNAME_MISMATCH|ERR_SOCKET_CONNECTION_TIMEOUT|ERR_SOCKET_CLOSED_BEFORE_CONNECTION|UND_ERR_SOCKET|UND_ERR_CONNECT_TIMEOUT|UND_ERR_PRX_TLS)$/;

/** Whether an error's code is one for a request Vigil made wrong (BAD_REQUEST): a fault in Vigil or its settings. */
export const isBadRequestCode = (code: string): boolean => BAD_REQUEST.test(code);

/** Whether a no-answer code is a connection's that failed (CONNECTION), so that a reason may say Vigil could not reach a service. */
export const isConnectionCode = (code: string): boolean => CONNECTION.test(code);

/**
 * The code of the error behind a request that got no answer (`ECONNREFUSED`, `ENOTFOUND`, `UND_ERR_SOCKET`,
 * `ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE`, or `UND_ERR_RES_CONTENT_LENGTH_MISMATCH` for an answer cut short), never its
 * message, which may quote the host or URL: node:http's error is the socket's own, fetch's `TypeError: fetch failed`
 * (or `terminated`, for a body) carries it as its cause. None for an error without a code (a close before the whole
 * answer with no error, fetch's "bad port" or "unknown scheme") or with a code for a request Vigil made wrong.
 */
export function socketCodeOf(error: unknown): string | undefined {
  const e = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } | null };
  const code = typeof e.code === 'string' ? e.code : e.cause?.code;
  return typeof code === 'string' && CODE.test(code) && !isBadRequestCode(code) ? code : undefined;
}

/**
 * How Vigil says a request got no answer, in every reason a person reads: where to, when the caller knows (never a
 * host or URL: a Teams URL is a secret), and the code when there is one (`socketCodeOf`). "The connection … failed"
 * only for a connection's code or none (a close with no error); "the request … failed" for any other code.
 */
export function requestFailed(to: string | undefined, socketCode: string | undefined): string {
  const what = socketCode === undefined || isConnectionCode(socketCode) ? 'connection' : 'request';
  return `the ${what}${to === undefined ? '' : ` to ${to}`} failed${socketCode === undefined ? '' : ` (${socketCode})`}`;
}

/**
 * The socket's code that ends one of Vigil's own messages for a connection that failed (`requestFailed`), read back
 * where only the message is left (the Graph client keeps of the error it wraps its name and message). Only a code is
 * ever read back: nothing else of a message is passed on.
 */
export function readSocketCode(message: unknown): string | undefined {
  return typeof message === 'string' ? /\(([A-Z0-9_]+)\)$/.exec(message)?.[1] : undefined;
}

/** A request that could not be made (named by its error's class or code, never its message): no outage, and not the receiver's doing. */
export const couldNotMakeRequest = (to: string | undefined, errorName: string): string =>
  `Vigil could not make its request${to === undefined ? '' : ` to ${to}`} (${errorName}): a fault in Vigil or its settings`;

/** A request that got no answer for a reason Vigil cannot tell (named by its error's class, never its message). */
export const requestFailedAs = (to: string | undefined, errorName: string): string =>
  `the request${to === undefined ? '' : ` to ${to}`} failed (${errorName})`;

/**
 * How Vigil says a request failed from what fetch or a sender threw, its deadline aside (the caller's to say, with the
 * deadline): by its code (requestFailed); with none, or one for a request Vigil made wrong, as a request that could
 * not be made when the error is one JavaScript raises for a fault in the code or its input (programmingErrors: fetch's
 * "bad port", a header value it refuses), else by its class (requestFailedAs). Never its message, which may quote the
 * URL or a header's value.
 */
export function describeFailedRequest(to: string | undefined, error: unknown): string {
  const code = socketCodeOf(error);
  if (code !== undefined) return requestFailed(to, code);
  const notMade = requestNotMadeBy(error);
  if (notMade !== undefined) return couldNotMakeRequest(to, notMade);
  return requestFailedAs(to, error instanceof Error ? error.name : 'unknown error');
}

/**
 * The class of the error (TypeError) when a request could not be made at all, as describeFailedRequest tells one: no
 * socket code, and an error JavaScript raises for a fault in the code or its input (fetch's "bad port", a header value
 * it refuses). Undefined for a request that got no answer. Whose fault it is, the caller says: Vigil's, or the CLI's input.
 *
 * This is one of three tests of a request not made, each with its own rule on purpose, for the error it sees:
 * - here, the error fetch or a sender threw, as Vigil's channels and the CLI get it: any programming error's class;
 * - isVigilFault (adapters/http), the Graph client's error, which wraps what it caught (status -1, its class or code
 *   in `code`), and a token probe's;
 * - the authorization server's isRequestNotMade (adapters/entra), only fetch's own `TypeError: fetch failed` with no
 *   socket code: oauth4webapi throws TypeErrors of its own for a bad argument, a bug in Vigil to throw, not a refusal.
 */
export function requestNotMadeBy(error: unknown): string | undefined {
  if (socketCodeOf(error) !== undefined || !(error instanceof Error)) return undefined;
  return programmingErrors.has(error.name) ? error.name : undefined;
}
