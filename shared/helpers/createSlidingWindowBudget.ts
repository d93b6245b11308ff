/** Gives up the slot taken by `take`; the slot counts against the window until `windowMs` after this call. */
export type ReleaseSlot = () => void;

export interface SlidingWindowBudget {
  /** Resolves once a request may start without exceeding `limit` per `windowMs`; call the result when it ends. */
  take(): Promise<ReleaseSlot>;
}

/**
 * A client-side budget for a service limit stated as "N requests per window", such as Key Vault's
 * 4,000 transactions per 10 s per vault. A request is counted from when it starts until `windowMs`
 * after it ends: the service counts it on arrival, which lies in between, so a request this budget
 * admits is never one the service would throttle for this client's traffic.
 */
export function createSlidingWindowBudget(limit: number, windowMs: number, clock: () => number = Date.now): SlidingWindowBudget {
  let inFlight = 0;
  const ended: number[] = [];
  let head = 0;
  const waiting: Array<(release: ReleaseSlot) => void> = [];
  let timer: NodeJS.Timeout | undefined;

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
    return () => {
      if (released) return;
      released = true;
      inFlight -= 1;
      ended.push(clock());
      pump();
    };
  };
  const pump = () => {
    while (waiting.length > 0 && counted(clock()) < limit) {
      inFlight += 1;
      waiting.shift()!(slot());
    }
    if (waiting.length > 0 && !timer && head < ended.length) {
      timer = setTimeout(
        () => {
          timer = undefined;
          pump();
        },
        Math.max(1, ended[head]! + windowMs - clock() + 1),
      );
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
