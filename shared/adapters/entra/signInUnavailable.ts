import { requestFailed } from '../http/socketCodeOf.js';

/** How long a token request as an app may take before its caller is told Entra did not answer. */
export const SIGN_IN_DEADLINE_MS = 30_000;

/**
 * A sign-in as an app that Entra did not answer within its deadline (named so `classifyGraphError` can
 * tell it apart). Its message ends with the deadline, which `classifyGraphError` reads back from the
 * Graph client's message (readSignInDeadline).
 */
export class SignInTimeoutError extends Error {
  override readonly name = 'SignInTimeoutError';
  constructor(deadlineMs: number) {
    super(signInTimedOut(describeDeadline(deadlineMs)));
  }
}

/** How Vigil says a sign-in got no answer within its deadline ("30 s"): a `SignInTimeoutError`'s message, and describeError's. */
export const signInTimedOut = (deadline: string): string => `Entra did not answer Vigil's sign-in within ${deadline}`;

/** "30 s", "1.5 s", or "300 ms" under a second (where seconds would round to "0 s"). */
function describeDeadline(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 100) / 10} s`;
}

/** The deadline a `SignInTimeoutError`'s message names ("30 s", "300 ms"), or the default's when it names none. */
export function readSignInDeadline(message: string | undefined): string {
  return /within (\d+(?:\.\d+)? m?s)$/.exec(message ?? '')?.[1] ?? describeDeadline(SIGN_IN_DEADLINE_MS);
}

/**
 * A sign-in as an app whose token request got no whole answer on its last try, for any reason but its deadline (that is
 * a `SignInTimeoutError`; askTokenEndpoint): most often Entra's token endpoint could not be reached (refused, reset, no
 * such host), but an answer cut short or one Node could not parse (HPE_…, ERR_STREAM_PREMATURE_CLOSE) is one as well,
 * hence its name. Either way Entra or the way to it failed,
 * which is no wrong credential. Its message is Vigil's words for it, with only the error's code (socketCodeOf), which
 * `classifyGraphError` and describeError read back from the Graph client's message (readSocketCode) and word by it.
 */
export class SignInUnansweredError extends Error {
  override readonly name = 'SignInUnansweredError';
  constructor(readonly socketCode: string | undefined) {
    super(requestFailed("Entra's token endpoint", socketCode));
  }
}

/** Why a token request got no answer within its deadline, in the reason a refresh, a code redemption or a new secret's check hands back. */
export const TIMED_OUT_REASON = 'TimeoutError';

/**
 * Why a token request got no answer before its deadline, said the same by a refresh (createTokenEndpoint), a sign-in's
 * code redemption (createAuthorizationServer) and a new secret's check (createTokenProbe): only the socket's error code
 * (socketCodeOf), never a message, which may quote the URL. Without one, `withoutCode`: "connection failed" for node:http's
 * close with no error; fetch's caller passes the error's class name (an `AbortError`): fetch fails with no code only for a
 * request it will not make (a blocked port), which that caller throws as a fault, no connection that failed.
 */
export function noAnswerReason(socketCode: string | undefined, withoutCode = 'connection failed'): string {
  return socketCode ?? withoutCode;
}
