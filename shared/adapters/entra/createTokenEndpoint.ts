import type { CloudName } from '../../cloud/cloudEndpoints.js';
import type { TokenEndpoint } from '../../tokens/TokenEndpoint.js';
import { createConcurrencyLimit } from '../../core/createConcurrencyLimit.js';
import { requestTokenRefresh, type Fetch } from './requestTokenRefresh.js';
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
}): TokenEndpoint {
  const fetchFn = options.fetch ?? fetch;
  const limit = createConcurrencyLimit(options.maxConcurrent ?? 32);
  return {
    refresh: (request) =>
      limit(async () => {
        try {
          const { response, clientRequestId } = await requestTokenRefresh(fetchFn, options.loginHost(request.cloud), request);
          return await toTokenRefreshResult(response, clientRequestId);
        } catch (error) {
          if (!isNetworkError(error)) throw error;
          return { kind: 'unreachable', reason: describeNetworkError(error) };
        }
      }),
  };
}

/** What `fetch` throws when it gets no answer: `TypeError: fetch failed` (cause: the socket error), or a timeout. */
function isNetworkError(error: unknown): boolean {
  return (
    error instanceof Error &&
    ((error.name === 'TypeError' && error.message === 'fetch failed') || error.name === 'TimeoutError' || error.name === 'AbortError')
  );
}

/** The error's name and system code only: a fetch error never needs its message, which may quote the URL. */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const cause = (error as Error & { cause?: { code?: unknown } }).cause;
  const code = cause && typeof cause.code === 'string' ? cause.code : undefined;
  return [error.name, code].filter(Boolean).join(' ');
}
