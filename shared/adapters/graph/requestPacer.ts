/**
 * Keeps a sequence of requests under "N per window" (Graph: 150 requests a minute per tenant when
 * `$select` includes keyCredentials; learn.microsoft.com/graph/throttling-limits). A sliding window of
 * admission times: Graph may take all N at once, then one more each time the oldest leaves the window.
 * Times are taken when an answer arrives, never earlier than Graph counted the request, so the window
 * here closes no sooner than Graph's. Used by one sequential reader, so no locking.
 */
export interface RequestPacer {
  /** Waits until one more request fits in the window. */
  beforeRequest(): Promise<void>;
  /** Records a request Graph admitted (a 429 is not counted, as Graph does not count it). */
  admitted(): void;
}

export interface PacerOptions {
  limit: number;
  windowMs: number;
  nowMs: () => number;
  sleep: (ms: number) => Promise<void>;
}

export function createRequestPacer(options: PacerOptions): RequestPacer {
  const { limit, windowMs, nowMs, sleep } = options;
  // At most `limit` entries, oldest first: memory stays constant whatever the tenant's size.
  const admittedAt: number[] = [];
  const forget = (now: number) => {
    while (admittedAt.length > 0 && admittedAt[0]! <= now - windowMs) admittedAt.shift();
  };
  return {
    async beforeRequest() {
      for (;;) {
        const now = nowMs();
        forget(now);
        if (admittedAt.length < limit) return;
        await sleep(admittedAt[0]! + windowMs - now + 1);
      }
    },
    admitted() {
      admittedAt.push(nowMs());
      if (admittedAt.length > limit) admittedAt.shift();
    },
  };
}
