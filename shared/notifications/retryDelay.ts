/** Exponential backoff between delivery attempts (how long to keep trying is the deadline's business). */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/**
 * How long to wait before attempt `attempt + 1`. Without a `Retry-After`: exponential backoff with "equal
 * jitter" (half the doubled delay plus a random share of the other half, capped), so many failed messages
 * do not return at the same moment (aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter).
 * With one, wait what the receiver asked (Graph asks for exactly that), but from the second attempt on
 * never less than the backoff's lower bound: a receiver that keeps answering `Retry-After: 0` (or 1 s)
 * would otherwise be retried in a loop until the deadline, thousands of times a day.
 */
export function retryDelay(attempt: number, retryAfterMs: number | undefined, policy: BackoffPolicy, random: () => number): number {
  const exponential = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  if (retryAfterMs !== undefined) {
    const floor = attempt > 1 ? exponential / 2 : 0;
    return Math.min(Math.max(floor, retryAfterMs), policy.capMs);
  }
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}
