import type { ChannelOutcome } from '../../notifications/ChannelOutcome.js';
import { networkFailure, toChannelOutcome } from './toChannelOutcome.js';

/**
 * One POST to a Teams Workflow or a webhook receiver, bounded by `timeoutMs` (Standard Webhooks recommends
 * a request timeout between 15 and 30 s), as a channel outcome. Redirects are not followed (Standard
 * Webhooks: a 3xx is a failure), and the answer's body is never read: it could echo what was sent.
 */
export async function postToChannel(
  fetchFn: typeof fetch,
  url: string,
  request: { headers: Record<string, string>; body: string },
  timeoutMs: number,
  nowMs: number,
): Promise<ChannelOutcome> {
  try {
    const response = await fetchFn(url, { method: 'POST', redirect: 'manual', ...request, signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return toChannelOutcome(response.status, response.headers.get('retry-after'), nowMs);
  } catch (error) {
    return networkFailure(error, timeoutMs);
  }
}
