import type { CloudName } from '../../cloud/cloudEndpoints.js';
import type { TokenEndpoint, TokenFailure } from '../../tokens/TokenPorts.js';
import { createConcurrencyLimit } from '../../helpers/createConcurrencyLimit.js';
import { isExchangeFailure, isPastDeadline } from '../http/sendOverNode.js';
import { socketCodeOf } from '../../helpers/socketCodeOf.js';
import { noAnswerReason, TIMED_OUT_REASON } from './signInUnavailable.js';
import { postTokenRequest, type PostTokenRequest, type TokenAnswer } from './postTokenRequest.js';
import type { Clock } from './Clock.js';
import { toTokenRefreshForm } from './toTokenRefreshForm.js';
import { toTokenRefreshResult } from './toTokenRefreshResult.js';

/** How long a refresh's token request may wait for its whole answer. */
const TOKEN_REQUEST_DEADLINE_MS = 30_000;

/**
 * The Microsoft identity platform token endpoint of each connection's cloud, over node:https with the
 * tenant sign-ins' pool and span (postTokenRequest): undici's web streams cost a refresh about as much CPU
 * as the rest of its token request. Entra publishes no rate for the token endpoint, so requests in flight
 * per process are capped and a 429 is handed back (with Retry-After) for the core to wait out. A request
 * that gets no whole answer is `unreachable`: past its deadline (`TimeoutError`, as fetch named it), or
 * for its connection (the socket's error code only, never a message, which may quote the URL; `connection
 * failed` when its error has none). Nothing else is: a request that could not be made (an invalid
 * URL) is a bug, thrown, not retried for ever as an outage.
 */
export function createTokenEndpoint(options: {
  loginHost: (cloud: CloudName) => string;
  post?: PostTokenRequest;
  maxConcurrent?: number;
  /** What assertions are dated and Retry-After dates read by (Date.now unless the local cloud's clock is moved). */
  clock?: Clock;
  deadlineMs?: number;
}): TokenEndpoint {
  const post = options.post ?? postTokenRequest;
  const clock = options.clock ?? Date.now;
  const deadlineMs = options.deadlineMs ?? TOKEN_REQUEST_DEADLINE_MS;
  const limit = createConcurrencyLimit(options.maxConcurrent ?? 32);
  // Only the exchange fails for the network; a request that cannot be built (a certificate that cannot sign) or made is a bug and throws.
  const send = (url: string, form: URLSearchParams, headers: Headers): Promise<TokenAnswer | TokenFailure> =>
    post(url, form, headers, deadlineMs).catch((error: unknown): TokenFailure => {
      if (!isExchangeFailure(error)) throw error;
      return { kind: 'unreachable', reason: isPastDeadline(error) ? TIMED_OUT_REASON : noAnswerReason(socketCodeOf(error)) };
    });
  return {
    refresh: (request) =>
      limit(async () => {
        const { url, form, headers, clientRequestId } = await toTokenRefreshForm(options.loginHost(request.cloud), request, clock);
        const answer = await send(url, form, headers);
        return 'kind' in answer ? answer : toTokenRefreshResult(answer, clientRequestId, clock());
      }),
  };
}
