/** Exponential backoff between delivery attempts (how long to keep trying is the deadline's business). */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/**
 * How long to wait before attempt `attempt + 1`. When the receiver said how long (`Retry-After`), wait
 * exactly that: it is the receiver's own estimate and Graph asks for it. Otherwise exponential backoff
 * with "equal jitter" (half the doubled delay plus a random share of the other half, capped), so many failed messages do not
 * return at the same moment (aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter).
 */
export function retryDelay(attempt: number, retryAfterMs: number | undefined, policy: BackoffPolicy, random: () => number): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), policy.capMs);
  const exponential = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}
