import { realSleep, type Sleep } from '../../helpers/sleep.js';
import { withRetries, type RetryAdvice } from '../../tokens/withRetries.js';
import { isPassingFailure } from '../http/isPassingFailure.js';
import { isExchangeFailure, isPastDeadline } from '../http/sendOverNode.js';
import { socketCodeOf } from '../../helpers/socketCodeOf.js';
import { parseRetryAfter } from '../http/parseRetryAfter.js';
import { postTokenRequest, type TokenAnswer } from './postTokenRequest.js';
import type { Clock } from './Clock.js';
import { SignInTimeoutError, SignInUnansweredError } from './signInUnavailable.js';

/** One attempt's form and headers, built afresh for each: a certificate's assertion (its `jti`) is good for one request. */
export type TokenRequestBuilder = () => Promise<{ form: URLSearchParams; headers: Headers }>;

/** The first send and two more, as `@azure/identity` resent a token request (its IdentityClient's retry policies). */
const MAX_ATTEMPTS = 3;
/** The first backoff, doubled per attempt with ±20 % jitter (about 0.8 s, then 1.6 s). */
const BACKOFF_MS = 800;
/** A wait is only worth taking if the request sent after it still has this long to be answered (a resend at once always is). */
const ANSWER_MARGIN_MS = 1_000;

type Attempt = { answer: TokenAnswer } | { failed: unknown };

/**
 * Sends a token request until Entra gives an answer worth reporting, all within `deadlineMs`: a 408 or a
 * 5xx that may pass (isPassingFailure) is sent again after a backoff, a 429 or 503 with `Retry-After`
 * after the wait Entra asked, and a failed connection at once the first time (a kept-alive connection the
 * login host had just closed fails so), then after a backoff. A wait that would not leave the next request
 * time to be answered ends the attempts: the last answer is returned, for the caller to report. A client
 * credentials request spends nothing when sent twice. No answer within the deadline is a
 * `SignInTimeoutError`; no answer for another reason on the last attempt (no connection, an answer cut short), a
 * `SignInUnansweredError` naming only the socket's error code. Any other rejection of the send (a request that could not be made, such as an invalid
 * URL, or a bug) is thrown at once as it is: no outage of Entra's, so neither sent again nor called unreachable.
 */
export async function askTokenEndpoint(
  url: string,
  build: TokenRequestBuilder,
  options: { deadlineMs: number; clock: Clock; sleep?: Sleep },
): Promise<TokenAnswer> {
  const endMs = Date.now() + options.deadlineMs;
  const leftMs = () => endMs - Date.now();
  let connectionFailures = 0;
  const last = await withRetries<Attempt>(
    async () => {
      const { form, headers } = await build();
      try {
        return { answer: await postTokenRequest(url, form, headers, Math.max(1, leftMs())) };
      } catch (failed) {
        // Only the exchange fails for the network: a request that could not be made (an invalid URL) is a bug, thrown, not retried as an outage.
        if (!isExchangeFailure(failed)) throw failed;
        return { failed };
      }
    },
    (attempt) => {
      if ('answer' in attempt) return adviseOnAnswer(attempt.answer, options.clock);
      if (isPastDeadline(attempt.failed)) return { retry: false };
      connectionFailures += 1;
      return connectionFailures === 1 ? { retry: true, retryAfterMs: 0 } : { retry: true };
    },
    {
      maxAttempts: MAX_ATTEMPTS,
      baseDelayMs: BACKOFF_MS,
      maxWaitMs: () => Math.max(0, leftMs() - ANSWER_MARGIN_MS),
      sleep: options.sleep ?? realSleep,
    },
  );
  if ('answer' in last) return last.answer;
  if (isPastDeadline(last.failed)) throw new SignInTimeoutError(options.deadlineMs);
  throw new SignInUnansweredError(socketCodeOf(last.failed));
}

/** `@azure/identity`'s policies: wait out a 429 or 503's `Retry-After`; back off after a 408 or a passing 5xx. */
function adviseOnAnswer(answer: TokenAnswer, clock: Clock): RetryAdvice {
  const { status } = answer;
  if (status === 429 || status === 503) {
    const retryAfterMs = parseRetryAfter(answer.header('retry-after'), clock());
    if (retryAfterMs !== undefined) return { retry: true, retryAfterMs };
  }
  return { retry: status === 408 || isPassingFailure(status) };
}
