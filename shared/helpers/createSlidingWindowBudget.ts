/**
 * Gives up the slot taken by `take`. By default the slot counts against the window until `windowMs` after
 * this call; `{ counted: false }` gives the place straight back, for a request the service did not count
 * (Graph does not count a request it refused with 429).
 */
export type ReleaseSlot = (outcome?: { counted: boolean }) => void;

export interface SlidingWindowBudget {
  /** Resolves once a request may start without exceeding `limit` per `windowMs`; call the result when it ends. */
  take(): Promise<ReleaseSlot>;
}

/** The time a window is measured on, and a timer on the same clock that can be cancelled. */
export interface WindowClock {
  nowMs(): number;
  /** Calls `wake` after `ms`; the result cancels it. */
  after(ms: number, wake: () => void): () => void;
}

export const systemClock: WindowClock = {
  nowMs: () => Date.now(),
  after(ms, wake) {
    const timer = setTimeout(wake, ms);
    return () => clearTimeout(timer);
  },
};

/**
 * A client-side budget for a service limit stated as "N requests per window", such as Key Vault's
 * 4,000 transactions per 10 s per vault or Graph's 150 keyCredentials reads a minute. A request is counted
 * from when it starts until `windowMs` after it ends: the service counts it on arrival, which lies in
 * between, so a request this budget admits is never one the service would throttle for this client's
 * traffic. Waiters wake on a release or when the oldest ended request leaves the window, with one timer at
 * most, cancelled as soon as nobody waits.
 */
export function createSlidingWindowBudget(limit: number, windowMs: number, clock: WindowClock = systemClock): SlidingWindowBudget {
  let inFlight = 0;
  const ended: number[] = [];
  let head = 0;
  const waiting: Array<(release: ReleaseSlot) => void> = [];
  let cancelTimer: (() => void) | undefined;

  const counted = (now: number) => {
    while (head < ended.length && ended[head]! <= now - windowMs) head += 1;
    if (head > 1024 && head * 2 > ended.length) {
      ended.splice(0, head);
      head = 0;
    }
    return inFlight + ended.length - head;
  };
  const slot = (): ReleaseSlot => {
    let released = false;
    return (outcome = { counted: true }) => {
      if (released) return;
      released = true;
      inFlight -= 1;
      if (outcome.counted) ended.push(clock.nowMs());
      pump();
    };
  };
  const pump = () => {
    while (waiting.length > 0 && counted(clock.nowMs()) < limit) {
      inFlight += 1;
      waiting.shift()!(slot());
    }
    if (waiting.length === 0) {
      cancelTimer?.();
      cancelTimer = undefined;
    } else if (!cancelTimer && head < ended.length) {
      // The head only leaves the window later than this: a release pushes at the end, never before it.
      cancelTimer = clock.after(Math.max(1, ended[head]! + windowMs - clock.nowMs() + 1), () => {
        cancelTimer = undefined;
        pump();
      });
    }
  };
  return {
    take: () =>
      new Promise<ReleaseSlot>((resolve) => {
        waiting.push(resolve);
        pump();
      }),
  };
}
