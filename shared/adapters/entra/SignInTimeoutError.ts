/** How long a token request as an app may take before its caller is told Entra did not answer. */
export const SIGN_IN_DEADLINE_MS = 30_000;

/** A sign-in as an app that Entra did not answer within its deadline (named so `classifyGraphError` can tell it apart). */
export class SignInTimeoutError extends Error {
  override readonly name = 'SignInTimeoutError';
  constructor(deadlineMs: number) {
    super(`Entra did not answer Vigil's sign-in within ${Math.round(deadlineMs / 1000)} s`);
  }
}
