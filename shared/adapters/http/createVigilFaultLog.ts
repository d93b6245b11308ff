import { errorTraceKey, toErrorTrace } from './toErrorTrace.js';

/** Which request could not be made: a sign-in's redemption makes three (its tenant's configuration, the token, the signing keys). */
export type VigilFaultRequest = 'Graph request' | 'Token request' | 'OpenID configuration request' | 'Signing keys request';

/**
 * Leaves a vigilFault's trace (toErrorTrace) in Vigil's log, for the person its failure's reason sends there:
 * each distinct trace at most once an hour for as long as the log lives (one per process: the scanner's, the rotation's, the sign-in's).
 * An adapter whose requests can meet a vigilFault takes it as `vigilFaultLog`.
 */
export type VigilFaultLog = (error: unknown, request: VigilFaultRequest) => void;

/**
 * How long a trace logged stays unlogged: short enough that a fault that stands is still in the log's retention
 * when a person follows a scan.failed's fix text there, long enough that a fault failing every read is one line an hour.
 */
const WINDOW_MS = 60 * 60 * 1000;

/** More distinct traces than this in one window are one fault spreading, not faults to read one by one. */
const MOST_TRACES = 20;

const at = (ms: number) => new Date(ms).toISOString();

/**
 * A bad setting (a Graph host that makes no URL) fails every request of every tenant the same way: its trace is
 * logged the first time, and again an hour on if it still happens, with how many requests met it in between;
 * each request's failure still carries its reason. `warn` is where the lines go (Vigil's log, with no tenant: a
 * trace is the process's, not a tenant's), `now` the clock the hour is measured on (milliseconds).
 * Distinct traces are bounded by Vigil's code paths, so what is remembered of them is too.
 */
export function createVigilFaultLog(warn: (line: string) => void, now: () => number = Date.now): VigilFaultLog {
  /** Each trace logged, by request and errorTraceKey: when, and how many requests met it since without being logged. */
  const logged = new Map<string, { at: number; since: number }>();
  let window = { start: -Infinity, traces: 0, full: false };
  return (error, request) => {
    const time = now();
    // The trace itself is built only for a line that is logged: a standing fault meets this check on every request.
    const key = `${request}\n${errorTraceKey(error)}`;
    const last = logged.get(key);
    if (last && time - last.at < WINDOW_MS) {
      last.since += 1;
      return;
    }
    if (time - window.start >= WINDOW_MS) window = { start: time, traces: 0, full: false };
    if (window.traces >= MOST_TRACES) {
      if (last) last.since += 1;
      if (window.full) return;
      window.full = true;
      warn(
        `Requests Vigil could not make (vigilFault) showed ${MOST_TRACES} distinct traces since ${at(window.start)}: ` +
          `no further ones are logged before ${at(window.start + WINDOW_MS)}`,
      );
      return;
    }
    window.traces += 1;
    logged.set(key, { at: time, since: 0 });
    const line = `${request} Vigil could not make (vigilFault): ${toErrorTrace(error)}`;
    const again = last ? `\n(${last.since} more since ${at(last.at)}, not logged)` : '';
    warn(`${line}${again}\n(further requests failing with this trace are logged at most once an hour)`);
  };
}
