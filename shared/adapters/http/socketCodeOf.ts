/** A code as Node and undici give one (ECONNREFUSED, ERR_SSL_…, UND_ERR_SOCKET): letters, digits and underscores only. */
const CODE = /^[A-Z0-9_]+$/;

/**
 * Codes for a request that could not be made, where no connection failed: Node's for a fault in the request
 * (ERR_INVALID_URL, ERR_INVALID_ARG_TYPE) and undici's for fetch's arguments (UND_ERR_INVALID_ARG,
 * UND_ERR_NOT_SUPPORTED). TLS's ERR_SSL_… and ERR_TLS_… are a connection's, as are undici's socket errors and timeouts.
 */
const NO_CONNECTION = /^(ERR_(?!SSL_|TLS_)|UND_ERR_(?!SOCKET$|CONNECT_TIMEOUT$|HEADERS_TIMEOUT$|BODY_TIMEOUT$|CLOSED$))/;

/**
 * The code of the socket or TLS error behind a connection that failed (`ECONNREFUSED`, `ENOTFOUND`, `UND_ERR_SOCKET`,
 * `ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE`), never its message, which may quote the host or URL: node:http's error
 * is the socket's own, fetch's `TypeError: fetch failed` carries it as its cause. None for an error without such a
 * code (a close before the whole answer with no error, fetch's "bad port" or "unknown scheme") or with a code for a
 * request that could not be made.
 */
export function socketCodeOf(error: unknown): string | undefined {
  const e = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } | null };
  const code = typeof e.code === 'string' ? e.code : e.cause?.code;
  return typeof code === 'string' && CODE.test(code) && !NO_CONNECTION.test(code) ? code : undefined;
}

/**
 * How Vigil says a connection failed, in every reason a person reads: where to, when the caller knows (never a
 * host or URL: a Teams URL is a secret), and the socket's code when there is one (`socketCodeOf`).
 */
export function connectionFailed(to: string | undefined, socketCode: string | undefined): string {
  return `the connection${to === undefined ? '' : ` to ${to}`} failed${socketCode === undefined ? '' : ` (${socketCode})`}`;
}

/**
 * The socket's code that ends one of Vigil's own messages for a connection that failed (`connectionFailed`), read back
 * where only the message is left (the Graph client keeps of the error it wraps its name and message). Only a code is
 * ever read back: nothing else of a message is passed on.
 */
export function readSocketCode(message: unknown): string | undefined {
  return typeof message === 'string' ? /\(([A-Z0-9_]+)\)$/.exec(message)?.[1] : undefined;
}
