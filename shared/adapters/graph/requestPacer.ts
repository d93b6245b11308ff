/**
 * Keeps a sequence of requests under "N per window" (Graph: 150 requests a minute per tenant when
 * `$select` includes keyCredentials; learn.microsoft.com/graph/throttling-limits). A sliding window of
 * admission times: Graph may take all N at once, then one more each time the oldest leaves the window.
 * Times are taken when an answer arrives, never earlier than Graph counted the request, so the window
 * here closes no sooner than Graph's. Requests sent and not yet answered hold their place in the window
 * (readers of a tenant's two collections, and a prefetched page, are in flight at once): a request that
 * Graph refused gives its place back (`released`), as Graph does not count a 429.
 */
export interface RequestPacer {
  /** Waits until one more request fits in the window, and holds its place until it is answered. */
  beforeRequest(): Promise<void>;
  /** Records a request Graph admitted, at the time its answer arrived. */
  admitted(): void;
  /** Gives back the place of a request that Graph did not answer with a page (a 429 is not counted). */
  released(): void;
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
  let inFlight = 0;
  // Resolved at the next answer or refusal: a window full of unanswered requests frees a place only then.
  let answer: { promise: Promise<void>; resolve: () => void } | undefined;
  const nextAnswer = () => (answer ??= withResolvers()).promise;
  const answered = () => {
    answer?.resolve();
    answer = undefined;
  };
  const forget = (now: number) => {
    while (admittedAt.length > 0 && admittedAt[0]! <= now - windowMs) admittedAt.shift();
  };
  return {
    async beforeRequest() {
      for (;;) {
        const now = nowMs();
        forget(now);
        if (admittedAt.length + inFlight < limit) {
          inFlight += 1;
          return;
        }
        const oldestLeaves = admittedAt.length > 0 ? sleep(admittedAt[0]! + windowMs - now + 1) : undefined;
        await (inFlight > 0 ? Promise.race([nextAnswer(), ...(oldestLeaves ? [oldestLeaves] : [])]) : oldestLeaves);
      }
    },
    admitted() {
      inFlight = Math.max(0, inFlight - 1);
      admittedAt.push(nowMs());
      if (admittedAt.length > limit) admittedAt.shift();
      answered();
    },
    released() {
      inFlight = Math.max(0, inFlight - 1);
      answered();
    },
  };
}

/** Promise.withResolvers, which Node 20 lacks. */
function withResolvers(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
