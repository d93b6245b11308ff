import type { ChannelOutcome } from '../../notifications/ChannelOutcome.js';
import { describeFailedRequest } from '../../helpers/socketCodeOf.js';
import { parseRetryAfter } from './parseRetryAfter.js';

/**
 * An HTTP answer from a Teams Workflow or a webhook receiver as a channel outcome:
 * - 2xx delivered; 410 Gone means "stop sending here" (Standard Webhooks);
 * - 429 and 503 with Retry-After wait as asked; 408, 425, 429 and 5xx are retried with backoff;
 * - 3xx is a failure (redirects are not followed: Standard Webhooks), as is any other 4xx, which
 *   retrying cannot fix (a rejected card, a bad signature, a deleted flow).
 */
export function toChannelOutcome(status: number, retryAfter: string | null, nowMs: number): ChannelOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 410) return { kind: 'gone', reason: 'HTTP 410 Gone' };
  const retryAfterMs = parseRetryAfter(retryAfter, nowMs);
  if ((status === 429 || status === 503) && retryAfterMs !== undefined)
    return { kind: 'retryAfter', ms: retryAfterMs, reason: `HTTP ${status}, Retry-After ${retryAfter ?? ''}` };
  const retryable = status === 408 || status === 425 || status === 429 || status >= 500;
  return { kind: 'failed', reason: `HTTP ${status}`, permanent: !retryable };
}

/**
 * A request to `to` ("Teams", "the webhook endpoint": never a URL, which for Teams is the credential) that got no
 * answer: a timeout, or any other failure said as Vigil says one everywhere (describeFailedRequest: the code of a
 * connection refused, reset or TLS's, or of an answer cut short; a request that could not be made, such as fetch's
 * "bad port", a fault named by its error's class); a message could quote the URL. All are retried. A receiver that took the whole `timeoutMs` may still have processed the request:
 * the retry carries the same webhook-id, so a receiver can drop the duplicate.
 */
export function networkFailure(error: unknown, to: string, timeoutMs?: number): Extract<ChannelOutcome, { kind: 'failed' }> {
  if (isTimeout(error))
    return { kind: 'failed', reason: `timed out${timeoutMs === undefined ? '' : ` after ${formatSeconds(timeoutMs)}`}`, permanent: false };
  return { kind: 'failed', reason: describeFailedRequest(to, error), permanent: false };
}

/** `AbortSignal.timeout` rejects with a `TimeoutError` DOMException (the Graph client keeps its name as `code`). */
export function isTimeout(error: unknown): boolean {
  const e = error as { name?: unknown; code?: unknown } | undefined;
  return e?.name === 'TimeoutError' || e?.code === 'TimeoutError';
}

const formatSeconds = (ms: number): string => `${Number((ms / 1000).toFixed(3))} s`;

/** Adds what the delivery log should say about how the attempt was made (e.g. a secret served from memory). */
export function withNote(outcome: ChannelOutcome, note: string | undefined): ChannelOutcome {
  if (!note) return outcome;
  return outcome.kind === 'delivered' ? { ...outcome, note } : { ...outcome, reason: `${outcome.reason} (${note})` };
}
