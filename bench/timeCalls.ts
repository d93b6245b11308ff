/** Calls and the time awaited, by name: where a benchmark's wall time goes. */
export type CallTimes = Record<string, { calls: number; ms: number }>;

/** Adds one call of `ms` to `name`. */
export function recordCall(times: CallTimes, name: string, ms: number): void {
  const entry = (times[name] ??= { calls: 0, ms: 0 });
  entry.calls += 1;
  entry.ms += ms;
}

/**
 * The same object, with every method that returns a promise timed into `times` as `prefix.method`
 * (from the call until it settles). Methods that return anything else (an async iterable) are left as
 * they are.
 */
export function timeCalls<T extends object>(prefix: string, target: T, times: CallTimes): T {
  return watchCalls(prefix, target, (name, started) => recordCall(times, name, performance.now() - started));
}

/** A watched call as it settled: what it was called with, and what it resolved to (`rejected`: it failed). */
export interface SettledCall {
  args: readonly unknown[];
  rejected: boolean;
  /** What the promise resolved to; undefined when it rejected. */
  value: unknown;
}

/**
 * The same object, telling `settled` of every call of a method that returns a promise, as it settles:
 * its name (`prefix.method`), when it started (`performance.now()`), and its arguments and outcome.
 */
export function watchCalls<T extends object>(
  prefix: string,
  target: T,
  settled: (name: string, started: number, call: SettledCall) => void,
): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const started = performance.now();
        const result = (value as (...a: unknown[]) => unknown).apply(object, args);
        if (!(result instanceof Promise)) return result;
        const name = `${prefix}.${String(key)}`;
        return result.then(
          (resolved: unknown) => {
            settled(name, started, { args, rejected: false, value: resolved });
            return resolved;
          },
          (error: unknown) => {
            settled(name, started, { args, rejected: true, value: undefined });
            throw error;
          },
        );
      };
    },
  });
}

/** "kv.read 2,000 × 64.8 ms, token 1,000 × 223.9 ms, …": mean time per call, busiest first. */
export function describeCallTimes(times: CallTimes): string {
  return Object.entries(times)
    .sort(([, a], [, b]) => b.ms - a.ms)
    .map(([name, t]) => `${name} ${t.calls.toLocaleString('en-US')} × ${(t.ms / t.calls).toFixed(1)} ms`)
    .join(', ');
}
