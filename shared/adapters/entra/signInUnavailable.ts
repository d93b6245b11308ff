/** How long a token request as an app may take before its caller is told Entra did not answer. */
export const SIGN_IN_DEADLINE_MS = 30_000;

/** A sign-in as an app that Entra did not answer within its deadline (named so `classifyGraphError` can tell it apart). */
export class SignInTimeoutError extends Error {
  override readonly name = 'SignInTimeoutError';
  constructor(deadlineMs: number) {
    super(`Entra did not answer Vigil's sign-in within ${Math.round(deadlineMs / 1000)} s`);
  }
}

/**
 * A sign-in as an app that could not reach Entra's token endpoint at all (refused, reset, no such host),
 * twice in a row: Entra or the way to it is down, which is no wrong credential. Its message names only the
 * socket's error code, which `classifyGraphError` reads back from the Graph client's message.
 */
export class SignInUnreachableError extends Error {
  override readonly name = 'SignInUnreachableError';
  constructor(readonly socketCode: string) {
    super(`Vigil could not reach Entra's token endpoint (${socketCode})`);
  }
}
