import { vigilFaultTrace } from './isVigilFault.js';

export type VigilFaultRequest = 'Graph request' | 'Token request';

/**
 * Leaves a vigilFault's trace (vigilFaultTrace) in Vigil's log through `warn`, for the person its failure's reason
 * sends there, once per distinct trace for as long as the log lives (one per process: the scanner's, the rotation's).
 */
export type VigilFaultLog = (error: unknown, request: VigilFaultRequest, warn: (line: string) => void) => void;

/** Vigil's log, as an adapter whose requests can meet a vigilFault takes it: where its lines go, and the traces logged. */
export interface FaultLogging {
  warn: (line: string) => void;
  vigilFaults: VigilFaultLog;
}

/** More distinct traces than this in one process are one fault spreading, not faults to read one by one. */
const MOST_TRACES = 20;

/**
 * A bad setting (a Graph host that makes no URL) fails every request of every tenant the same way: its trace is
 * logged the first time, saying that further ones are not, and each request's failure still carries its reason.
 */
export function createVigilFaultLog(): VigilFaultLog {
  const logged = new Set<string>();
  let full = false;
  return (error, request, warn) => {
    const line = `${request} Vigil could not make (vigilFault): ${vigilFaultTrace(error)}`;
    if (logged.has(line) || full) return;
    if (logged.size >= MOST_TRACES) {
      full = true;
      warn(`Requests Vigil could not make (vigilFault) showed ${MOST_TRACES} distinct traces: further ones are not logged`);
      return;
    }
    logged.add(line);
    warn(`${line}\n(further requests failing with this trace are not logged while this instance runs)`);
  };
}
