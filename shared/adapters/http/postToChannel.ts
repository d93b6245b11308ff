import type { ChannelOutcome } from '../../notifications/ChannelOutcome.js';
import { networkFailure, toChannelOutcome } from './toChannelOutcome.js';

/** Picks a service's error code out of a refusal's body, or nothing; what it returns lands in the delivery log. */
export type ErrorCodeOf = (body: string) => string | undefined;

/** A refusal's body is read only this far: error codes are short, and more could echo what was sent. */
const maxErrorBody = 2048;

/**
 * One POST to a Teams Workflow, a Slack webhook, PagerDuty or a webhook receiver (`to`, for the delivery log: "Teams",
 * "the webhook endpoint", never the URL), bounded by `timeoutMs`
 * (Standard Webhooks recommends a request timeout between 15 and 30 s), as a channel outcome. Redirects
 * are not followed (Standard Webhooks: a 3xx is a failure). The answer's body is read only for a refusal
 * and only by `errorCodeOf`, which keeps a service's fixed error code (Slack's `channel_not_found`) and
 * nothing that could echo what was sent.
 */
export async function postToChannel(
  fetchFn: typeof fetch,
  url: string,
  { to, ...request }: { to: string; headers: Record<string, string>; body: string },
  timeoutMs: number,
  nowMs: number,
  errorCodeOf?: ErrorCodeOf,
): Promise<ChannelOutcome> {
  try {
    const response = await fetchFn(url, { method: 'POST', redirect: 'manual', ...request, signal: AbortSignal.timeout(timeoutMs) });
    const refused = response.status < 200 || response.status >= 300;
    // A body that is read is consumed; one that is not is cancelled, so the connection is freed either way.
    const code = refused && errorCodeOf ? errorCodeOf((await response.text()).slice(0, maxErrorBody)) : await cancel(response);
    const outcome = toChannelOutcome(response.status, response.headers.get('retry-after'), nowMs);
    return code && outcome.kind !== 'delivered' ? { ...outcome, reason: `${outcome.reason} ${code}` } : outcome;
  } catch (error) {
    return networkFailure(error, to, timeoutMs);
  }
}

async function cancel(response: Response): Promise<undefined> {
  await response.body?.cancel();
  return undefined;
}
