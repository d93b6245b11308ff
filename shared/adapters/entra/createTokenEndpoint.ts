import type { CloudName } from '../../cloud/cloudEndpoints.js';
import type { TokenEndpoint } from '../../tokens/TokenPorts.js';
import { createConcurrencyLimit } from '../../helpers/createConcurrencyLimit.js';
import { describeNetworkError, isNetworkError } from '../http/networkError.js';
import { requestTokenRefresh, type Clock, type Fetch } from './requestTokenRefresh.js';
import { toTokenRefreshResult } from './toTokenRefreshResult.js';

/**
 * The Microsoft identity platform token endpoint of each connection's cloud, over plain `fetch`. Entra
 * publishes no rate for the token endpoint, so requests in flight per process are capped and a 429 is
 * handed back (with Retry-After) for the core to wait out.
 */
export function createTokenEndpoint(options: {
  loginHost: (cloud: CloudName) => string;
  fetch?: Fetch;
  maxConcurrent?: number;
  /** What assertions are dated and Retry-After dates read by (Date.now unless the local cloud's clock is moved). */
  clock?: Clock;
}): TokenEndpoint {
  const fetchFn = options.fetch ?? fetch;
  const clock = options.clock ?? Date.now;
  const limit = createConcurrencyLimit(options.maxConcurrent ?? 32);
  return {
    refresh: (request) =>
      limit(async () => {
        try {
          const { response, clientRequestId } = await requestTokenRefresh(fetchFn, options.loginHost(request.cloud), request, clock);
          return await toTokenRefreshResult(response, clientRequestId, clock());
        } catch (error) {
          if (!isNetworkError(error)) throw error;
          return { kind: 'unreachable', reason: describeNetworkError(error) };
        }
      }),
  };
}
