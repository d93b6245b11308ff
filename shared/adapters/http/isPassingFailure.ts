/**
 * A server-side failure that may pass on a second try: every 5xx but 501 Not Implemented and 505 HTTP
 * Version Not Supported, which answer the same every time (the set `@azure/core-rest-pipeline`'s
 * exponential retry policy retries, with 408 Request Timeout). Graph's error reference lists 500, 502,
 * 503, 504 and 507 as the service's own failures (learn.microsoft.com/graph/errors), and Microsoft's Dev
 * Proxy plays exactly those, with 429, to check that apps ride them out (its GraphRandomErrorPlugin).
 */
export function isPassingFailure(status: number): boolean {
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}
