/** Milliseconds since the epoch: `Date.now` in production, the local cloud's clock in tests that move it. */
export type Clock = () => number;

/**
 * oauth4webapi dates a certificate's assertion (and checks an ID token's times) by `Date.now()` plus this
 * skew, read when the request is sent: Entra refuses an assertion 60 s after its date (AADSTS700024), so a
 * retry after a timeout or a Retry-After wait must be dated then, not when the refresh began. With the
 * production clock the skew is 0; a clock moved ahead (the local cloud's) shifts every date with it.
 */
export function toClockSkew(clock: Clock): number {
  return Math.round((clock() - Date.now()) / 1000);
}
