import { isCredentialError } from './isCredentialError.js';
import { readSignInDeadline, signInTimedOut } from './signInTimedOut.js';
import { couldNotMakeRequest, isBadRequestCode, requestFailed, readSocketCode, socketCodeOf } from './socketCodeOf.js';

/**
 * A one-line, secret-free description of an error: status, service error code and AADSTS code, as SDK
 * and storage errors carry them. Their messages can quote request bodies, so only these fields are ever
 * passed on; Vigil's own plain `Error`s, which carry none and no status, are told by their message. A request that
 * got no answer has no status (the Graph client's -1, the Azure SDK's none) and is said as one (describeNoAnswer).
 */
export function describeError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'unknown error';
  const e = error as SdkError;
  const message = typeof e.message === 'string' ? e.message : '';
  const firstCode = e.errorResponse?.errorCodes?.[0];
  const aadsts = /AADSTS\d+/.exec(message)?.[0] ?? (firstCode ? `AADSTS${firstCode}` : undefined);
  const status = typeof e.statusCode === 'number' && e.statusCode > 0 ? e.statusCode : undefined;
  const parts = [
    isCredentialError(error) ? 'authentication failed' : undefined,
    status === undefined ? undefined : `HTTP ${status}`,
    describeNoAnswer(e) ?? (typeof e.code === 'string' && e.code !== String(e.statusCode) ? e.code : undefined),
    aadsts,
  ].filter(Boolean);
  if (parts.length > 0) return parts.join(' ');
  // A status below 1 with nothing else known is a request without an answer (the Graph client's -1 for a rejection
  // that was no Error has no code and an empty message): never an empty reason, never the message of an SDK's error.
  if (typeof e.statusCode === 'number') return 'no answer from the service';
  if (error instanceof Error && error.name === 'Error' && error.message !== '') return error.message;
  return typeof e.name === 'string' && e.name !== '' ? e.name : 'unknown error';
}

interface SdkError {
  name?: unknown;
  message?: unknown;
  statusCode?: unknown;
  code?: unknown;
  errorResponse?: { errorCodes?: number[] };
}

/** Said for each error the Graph client keeps as no answer (status -1, the error's name in `code`), from its message. */
const unanswered = new Map<string, (message: string | undefined) => string>([
  // Vigil's own, for a request that got no answer: of their messages (requestFailed's words) only the code is read back.
  ['GraphUnansweredError', (message) => requestFailed('Graph', readSocketCode(message))],
  ['SignInUnansweredError', (message) => requestFailed("Entra's token endpoint", readSocketCode(message))],
  // Vigil's own, for a sign-in past its deadline: of its message only the deadline is read back ("30 s").
  ['SignInTimeoutError', (message) => signInTimedOut(readSignInDeadline(message))],
  // A deadline: the node sender's (NodeHttpMessageHandler), AbortSignal.timeout's (the mail sender's).
  ['AbortError', () => 'did not answer in time'],
  ['TimeoutError', () => 'did not answer in time'],
]);

/**
 * A request that got no answer, said as one (describeError's words for it, for a caller with its own words for other
 * failures) and never with the host or URL: the Graph client's error for a connection that failed (with the socket's
 * error code: ECONNREFUSED, ENOTFOUND, a TLS code) or a deadline that passed, or an Azure SDK RestError with no status,
 * which its node HTTP client gives the socket's code (REQUEST_SEND_ERROR for none; PARSE_ERROR is an answer that could
 * not be read, not a connection that failed; a code for a request Vigil made wrong, such as ERR_INVALID_CHAR, is said as
 * the channels say a request Vigil could not make). None for anything else.
 */
export function describeNoAnswer(error: unknown): string | undefined {
  const e = (error ?? {}) as SdkError;
  const say = e.statusCode === -1 && typeof e.code === 'string' ? unanswered.get(e.code) : undefined;
  if (say !== undefined) return say(typeof e.message === 'string' ? e.message : undefined);
  if (e.name !== 'RestError' || e.statusCode !== undefined || typeof e.code !== 'string' || e.code === 'PARSE_ERROR') return undefined;
  if (isBadRequestCode(e.code)) return couldNotMakeRequest(undefined, e.code);
  return requestFailed(undefined, e.code === 'REQUEST_SEND_ERROR' ? undefined : socketCodeOf(e));
}
