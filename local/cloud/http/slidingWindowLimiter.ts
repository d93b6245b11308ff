/**
 * Counts cost per key over a sliding window, the way Azure's published limits are stated ("300 per 10 s
 * per vault"). `take` either admits the request or says how long until enough cost has aged out.
 */
export class SlidingWindowLimiter {
  private readonly spent = new Map<string, Array<{ at: number; cost: number }>>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  take(key: string, cost: number, nowMs: number): { admitted: true } | { admitted: false; retryAfterMs: number } {
    const entries = this.spent.get(key) ?? [];
    while (entries.length > 0 && entries[0]!.at <= nowMs - this.windowMs) entries.shift();
    let total = entries.reduce((sum, e) => sum + e.cost, 0);
    if (total + cost <= this.limit) {
      entries.push({ at: nowMs, cost });
      this.spent.set(key, entries);
      return { admitted: true };
    }
    // Walk forward until enough cost has left the window; throttled requests are not counted (as Key Vault does).
    for (const e of entries) {
      total -= e.cost;
      if (total + cost <= this.limit) return { admitted: false, retryAfterMs: Math.max(1, e.at + this.windowMs - nowMs) };
    }
    return { admitted: false, retryAfterMs: this.windowMs };
  }

  reset(): void {
    this.spent.clear();
  }
}
