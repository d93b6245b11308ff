/** How long a token request as an app may take before its caller is told Entra did not answer. */
export const SIGN_IN_DEADLINE_MS = 30_000;

/**
 * How Vigil says a sign-in got no answer within its deadline ("30 s", or `deadlineMs` as describeDeadline says it):
 * a `SignInTimeoutError`'s message, and describeError's.
 */
export const signInTimedOut = (deadline: string | number): string =>
  `Entra did not answer Vigil's sign-in within ${typeof deadline === 'number' ? describeDeadline(deadline) : deadline}`;

/** "30 s", "1.5 s", or "300 ms" under a second (where seconds would round to "0 s"). */
function describeDeadline(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 100) / 10} s`;
}

/** The deadline a `SignInTimeoutError`'s message names ("30 s", "300 ms"), or the default's when it names none. */
export function readSignInDeadline(message: string | undefined): string {
  return /within (\d+(?:\.\d+)? m?s)$/.exec(message ?? '')?.[1] ?? describeDeadline(SIGN_IN_DEADLINE_MS);
}
