/** One key's admitted requests still in the window, oldest first from `head`, and their summed cost. */
interface KeyWindow {
  entries: Array<{ at: number; cost: number }>;
  head: number;
  total: number;
}

/**
 * Counts cost per key over a sliding window, the way Azure's published limits are stated ("300 per 10 s
 * per vault"). `take` either admits the request or says how long until enough cost has aged out.
 *
 * An admitted request costs O(1) (amortised): the window keeps its running total and drops what aged out
 * from the front, as the service's own counter does. Summing the window on every request made each Key
 * Vault request cost the emulator time in proportion to the requests of the last 10 s (about 2,300 in
 * the refresh bench), work Key Vault does not do on a caller's path.
 */
export class SlidingWindowLimiter {
  private readonly windows = new Map<string, KeyWindow>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  take(key: string, cost: number, nowMs: number): { admitted: true } | { admitted: false; retryAfterMs: number } {
    let window = this.windows.get(key);
    if (!window) {
      window = { entries: [], head: 0, total: 0 };
      this.windows.set(key, window);
    }
    const { entries } = window;
    while (window.head < entries.length && entries[window.head]!.at <= nowMs - this.windowMs) {
      window.total -= entries[window.head]!.cost;
      window.head += 1;
    }
    // Forget what aged out once it is most of the array, so memory follows the window, not the run.
    if (window.head > 1024 && window.head * 2 > entries.length) {
      entries.splice(0, window.head);
      window.head = 0;
    }
    if (window.total + cost <= this.limit) {
      entries.push({ at: nowMs, cost });
      window.total += cost;
      return { admitted: true };
    }
    // Walk forward until enough cost has left the window; throttled requests are not counted (as Key Vault does).
    let total = window.total;
    for (let i = window.head; i < entries.length; i++) {
      total -= entries[i]!.cost;
      if (total + cost <= this.limit) return { admitted: false, retryAfterMs: Math.max(1, entries[i]!.at + this.windowMs - nowMs) };
    }
    return { admitted: false, retryAfterMs: this.windowMs };
  }

  reset(): void {
    this.windows.clear();
  }
}
