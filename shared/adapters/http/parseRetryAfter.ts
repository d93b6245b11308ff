/**
 * `Retry-After` in milliseconds: delay-seconds (Graph sends fractions such as `2.128`,
 * learn.microsoft.com/graph/throttling) or an HTTP date (RFC 9110 §10.2.3). Undefined when absent or
 * unreadable. Fractions round up to the next millisecond: a retry is never sent before the service
 * said it may be. Every adapter reads the header through this one function.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  // An HTTP date names its day and zone ("Wed, 21 Oct 2015 07:28:00 GMT"); Date.parse would also
  // take "-1" as the year -1 and so turn a malformed delay into "retry now".
  const date = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
