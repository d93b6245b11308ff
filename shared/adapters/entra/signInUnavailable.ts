import { signInTimedOut } from '../../helpers/signInTimedOut.js';
import { requestFailed } from '../../helpers/socketCodeOf.js';

/**
 * A sign-in as an app that Entra did not answer within its deadline (named so `classifyGraphError` can
 * tell it apart). Its message ends with the deadline, which `classifyGraphError` reads back from the
 * Graph client's message (readSignInDeadline).
 */
export class SignInTimeoutError extends Error {
  override readonly name = 'SignInTimeoutError';
  constructor(deadlineMs: number) {
    super(signInTimedOut(deadlineMs));
  }
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
 * request it will not make (a blocked port), which that caller tells as a fault in Vigil or its settings, no connection that failed.
 */
export function noAnswerReason(socketCode: string | undefined, withoutCode = 'connection failed'): string {
  return socketCode ?? withoutCode;
}
