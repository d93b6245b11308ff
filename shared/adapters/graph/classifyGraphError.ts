import type { ReadFailure } from '../../scanner/DirectoryPager.js';
import { parseRetryAfter } from '../http/parseRetryAfter.js';
import { tokenEndpointStatus } from '../../helpers/isCredentialError.js';
import { readSignInDeadline } from '../../helpers/signInTimedOut.js';
import { isConnectionCode, readSocketCode } from '../../helpers/socketCodeOf.js';
import { isPassingFailure } from '../http/isPassingFailure.js';
import { isVigilFault } from '../http/isVigilFault.js';

/** What to do about a failed Graph request while reading the directory. */
export type GraphErrorClass =
  | { kind: 'retry'; status: number; waitMs: number | undefined }
  | { kind: 'deltaRefused'; reason: string }
  /** `status` and `serviceCode` (Graph's `error.code`) for callers that read other endpoints than the directory's. */
  | { kind: 'failed'; failure: ReadFailure; status?: number; serviceCode?: string };

interface GraphErrorLike {
  statusCode?: number;
  code?: string | null;
  name?: string;
  message?: string;
  headers?: { get(name: string): string | null };
}

/** Listing applications and service principals needs this (or a broader) application permission. */
export const directoryReadPermission = 'Application.Read.All';

/**
 * Reads the Graph client's `GraphError` (status, service code, headers) and the identity errors it wraps
 * (status -1), keeping only codes: messages can quote request details. Delta links refused as Graph
 * documents it: 400 `syncStateNotFound` (expired) or 410 `resyncRequired` (learn.microsoft.com/graph/delta-query-overview).
 */
export function classifyGraphError(error: unknown): GraphErrorClass {
  const e = (error ?? {}) as GraphErrorLike;
  const status = typeof e.statusCode === 'number' ? e.statusCode : -1;
  const code = e.code ?? '';
  if (isRetriedStatus(status)) return { kind: 'retry', status, waitMs: parseRetryAfter(e.headers?.get('retry-after'), Date.now()) };
  if (status === 410 || (status === 400 && /syncStateNotFound|resyncRequired/i.test(code)))
    return { kind: 'deltaRefused', reason: `HTTP ${status} ${code}`.trim() };
  const answered = { status, serviceCode: code };
  if (status === 403)
    return { ...failed('forbidden', `Graph refused to list applications (HTTP 403 ${code})`.trim(), directoryReadPermission), ...answered };
  if (status === 401) return { ...failed('authentication', `Graph rejected Vigil's access token (HTTP 401 ${code})`.trim()), ...answered };
  if (status === -1 && code === 'SignInTimeoutError')
    return failed('signInUnavailable', `Entra did not answer Vigil's sign-in to the tenant within ${readSignInDeadline(e.message)}`);
  if (status === -1 && code === 'SignInUnansweredError') {
    // Said as its siblings here are, naming what could not be done (the sign-in to the tenant), not as describeError's
    // "the connection to … failed", which a scan's reason would have to wrap to say what it was for. "Could not reach"
    // only for a connection's code or none (a close with no error); an answer cut short or malformed was a request that failed.
    const socketCode = readSocketCode(e.message);
    return failed(
      'signInUnavailable',
      socketCode === undefined || isConnectionCode(socketCode)
        ? `Vigil could not reach Entra's token endpoint to sign in to the tenant${socketCode ? ` (${socketCode})` : ''}`
        : `Vigil's request to Entra's token endpoint to sign in to the tenant failed (${socketCode})`,
    );
  }
  if (status === -1 && /AuthenticationError|CredentialUnavailableError|AuthenticationRequiredError/.test(code)) {
    // Entra's token endpoint throttling or failing is an outage, not a wrong credential (@azure/identity's
    // AuthenticationError says "Status code: 429" in its message; the Graph client keeps only the message).
    const tokenStatus = tokenEndpointStatus({ message: e.message });
    if (tokenStatus !== undefined && isRetriedStatus(tokenStatus))
      return failed(
        'signInUnavailable',
        `Entra's token endpoint would not give Vigil a token for the tenant (HTTP ${tokenStatus}${tokenStatus === 429 ? ': throttled' : ''})`,
      );
    const aadsts = /AADSTS\d+/.exec(e.message ?? '')?.[0];
    return failed('authentication', `sign-in to the tenant failed${aadsts ? ` (${aadsts})` : ''}`);
  }
  // A request Vigil could not make (an invalid URL, a sign-in's or Graph's) or a bug in its own code: no outage, so
  // not retried as one, and no all-clear either. Only the error's class is named (the Graph client's code, else
  // the name of one thrown past it): its message may quote the URL. Its stack goes to Vigil's log (createPageFetcher).
  if (isVigilFault(e))
    return failed(
      'vigilFault',
      `Vigil could not make its request to the tenant (${code || (e.name ?? '')}): a fault in Vigil or its settings, not Graph's`,
    );
  // Connection resets and timeouts reach here as status -1 with the error's name (over node:https,
  // GraphUnansweredError for a reset or refused connection or an answer cut short, `AbortError` for the whole answer's deadline).
  if (status === -1) return { kind: 'retry', status, waitMs: undefined };
  return { ...failed('incomplete', `Graph answered HTTP ${status}${code ? ` ${code}` : ''}`), ...answered };
}

/** Throttling and server-side trouble pass: one 500 on one page of a large tenant must not leave the whole tenant unchecked. */
function isRetriedStatus(status: number): boolean {
  return status === 429 || isPassingFailure(status);
}

function failed(code: ReadFailure['code'], reason: string, missingPermission?: string): GraphErrorClass {
  return { kind: 'failed', failure: { code, reason, ...(missingPermission ? { missingPermission } : {}) } };
}
