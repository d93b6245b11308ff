/** A send that started at `at` (epoch ms), or one `reserved` to start then, by the outbox message it is for. */
export interface SendSlot {
  id: string;
  at: number;
  reserved?: true | undefined;
}

/**
 * At most `max` sends starting in any `windowMs`; a message back within `lateMs` after its kept slot
 * sends on it; at most `maxReserved` slots are kept for waiting messages. A queue brings a message back
 * a little after its slot (visibility delays are whole seconds, listeners poll), so `windowMs` must
 * exceed the service's own window by more than `lateMs` and the time from the decision to the service's
 * receipt: then no late send crowds the service's window.
 */
export interface SendLimit {
  max: number;
  windowMs: number;
  lateMs: number;
  maxReserved: number;
}

export type SendDecision =
  /** Send now: `slots` holds this send, started at now (a retried message's earlier sends still count). */
  | { kind: 'send'; slots: SendSlot[] }
  /**
   * Not now: the earliest time a send fits is `at`, reserved in `slots` for this message (unless
   * `maxReserved` slots wait already), so messages that wait come back one by one, in turn.
   */
  | { kind: 'wait'; at: number; slots: SendSlot[] };

/**
 * Whether message `id` may start its send at `nowMs` under a sliding window ("at most `max` sends
 * starting in any `windowMs`"), given the sends and reservations recorded so far. Slots that left the
 * window are dropped. A message back on time for its kept slot (from its time to `lateMs` after) sends
 * on it, recorded at the slot's time, as the slots after it were planned; one back any other time gives
 * its slot up and is decided again, against what really happened since, never sent on an old promise.
 */
export function decideSend(slots: readonly SendSlot[], id: string, nowMs: number, limit: SendLimit): SendDecision {
  const kept = slots.filter((s) => !(s.reserved && s.id === id) && s.at > nowMs - limit.windowMs);
  const own = slots.find((s) => s.reserved && s.id === id && s.at <= nowMs && nowMs - s.at <= limit.lateMs);
  if (own) return { kind: 'send', slots: [...kept, { id, at: own.at }] };
  const at = earliestFree(
    kept.map((s) => s.at),
    nowMs,
    limit,
  );
  if (at <= nowMs) return { kind: 'send', slots: [...kept, { id, at: nowMs }] };
  const waiting = kept.filter((s) => s.reserved).length;
  return { kind: 'wait', at, slots: waiting < limit.maxReserved ? [...kept, { id, at, reserved: true }] : kept };
}

/**
 * The earliest time from `from` at which one more send keeps every window of `windowMs` at `max` or
 * fewer. A time becomes free only when `from` itself fits or when a recorded send leaves the window
 * (its time plus `windowMs`), so only those are tried.
 */
function earliestFree(times: readonly number[], from: number, { max, windowMs }: SendLimit): number {
  const sorted = [...times].sort((a, b) => a - b);
  const candidates = [from, ...sorted.map((t) => t + windowMs).filter((c) => c > from)];
  for (const c of candidates) if (fits(sorted, c, max, windowMs)) return c;
  // Unreachable: past the last send's window nothing is left to count.
  return (sorted.at(-1) ?? from) + windowMs;
}

/** True when a send at `c` leaves every window `[x, x + windowMs)` that holds `c` with at most `max` sends. */
function fits(sorted: readonly number[], c: number, max: number, windowMs: number): boolean {
  // The fullest window holding `c` starts at `c` or at one of the sends within `windowMs` before it.
  const starts = [c, ...sorted.filter((t) => t > c - windowMs && t <= c)];
  return starts.every((x) => countIn(sorted, x, x + windowMs) + 1 <= max);
}

/** Sends in `[from, to)` of a sorted list. */
function countIn(sorted: readonly number[], from: number, to: number): number {
  return lowerBound(sorted, to) - lowerBound(sorted, from);
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
