import type { Sleep } from '../helpers/sleep.js';

export interface RetryAdvice {
  /** Retry this result? */
  retry: boolean;
  /** How long the service asked to wait (`Retry-After`), if it did. */
  retryAfterMs?: number | undefined;
}

export interface RetryOptions {
  maxAttempts: number;
  sleep: Sleep;
  /** First backoff when the service gave no `Retry-After`; doubles per attempt. */
  baseDelayMs?: number;
  /**
   * A wait longer than this ends the attempts instead: the planner comes back later. A function is read
   * before each wait, for attempts that share one deadline.
   */
  maxWaitMs?: number | (() => number);
}

/**
 * Runs `attempt` until its result is not retryable or the attempts are used up, waiting `Retry-After`
 * when the service says so and exponential backoff with jitter otherwise. Results are values: nothing
 * here catches exceptions, which are bugs.
 */
export async function withRetries<T>(attempt: () => Promise<T>, advise: (result: T) => RetryAdvice, options: RetryOptions): Promise<T> {
  const base = options.baseDelayMs ?? 1_000;
  const maxWait = options.maxWaitMs ?? 30_000;
  const maxWaitNow = typeof maxWait === 'number' ? () => maxWait : maxWait;
  for (let n = 1; ; n++) {
    const result = await attempt();
    const advice = advise(result);
    if (!advice.retry || n >= options.maxAttempts) return result;
    const wait = advice.retryAfterMs ?? base * 2 ** (n - 1) * (0.8 + Math.random() * 0.4);
    if (wait > maxWaitNow()) return result;
    await options.sleep(wait);
  }
}
