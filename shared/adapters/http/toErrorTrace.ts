import { createHash } from 'node:crypto';
import { programmingErrors } from '../../helpers/programmingErrors.js';

/** The fields of an error a trace reads; nothing else of it is passed on. */
interface Traced {
  code?: unknown;
  name?: unknown;
  stack?: unknown;
}

/** A stack's frame lines: everything else in a stack (its first lines) repeats the message. */
const FRAME = /^\s+at /;
const FIRST_FRAME = /^\s+at /m;

/**
 * A secret-free trace of an error, for a log a person reads to find a fault (describeError is its one-line
 * counterpart for a failure's reason): the error's class (a programming error's first, as a Graph client's error
 * names the one it wraps in `code`) and Node's code, then its stack's frames. Never its message, which can quote
 * a URL or a request: a stack's first lines repeat the message, so only its `at` lines are kept (the Graph
 * client's error carries the stack of the one it wraps). Serves the vigilFault log (createVigilFaultLog) and the
 * stand-in for a Key Vault call's error that is no answer of Key Vault's (toKeyVaultFault), which adds the status.
 */
export function toErrorTrace(error: unknown): string {
  const e = (error ?? {}) as Traced;
  const frames = typeof e.stack === 'string' ? e.stack.split('\n').filter((line) => FRAME.test(line)) : [];
  return [headOf(e), ...frames].join('\n');
}

/**
 * What tells an error's trace from another's without building it, for a log that keeps each trace once a while
 * (createVigilFaultLog): a SHA-256 of the trace's first line and the stack from its first frame on (one substring,
 * not a copy of each frame). Errors with one trace have one key as long as no line but a frame follows a stack's
 * first frame, as V8 writes stacks. Hashed because the log keeps its keys for the process's life: a substring of a
 * stack is a V8 sliced string, which would keep the whole stack, and the message in it (maybe a URL), alive with it.
 * createHash, not the one-shot crypto.hash (about 0.5 µs less a repeated key), which Node 21.0–21.6 lack: the engines
 * range stays the platform's `>=20.19` (../shared/reference/platform-facts.md).
 */
export function errorTraceKey(error: unknown): string {
  const e = (error ?? {}) as Traced;
  const stack = typeof e.stack === 'string' ? e.stack : '';
  const first = stack.search(FIRST_FRAME);
  return createHash('sha256')
    .update(first === -1 ? headOf(e) : `${headOf(e)}\n${stack.slice(first)}`)
    .digest('base64');
}

/** The trace's first line: the error's class, and Node's code when it is another. */
function headOf(e: Traced): string {
  const labels = [e.code, e.name].filter((label): label is string => typeof label === 'string' && label !== '');
  const kind = labels.find((label) => programmingErrors.has(label)) ?? labels[0] ?? 'an error without a name';
  const code = typeof e.code === 'string' && e.code !== '' && e.code !== kind ? ` (${e.code})` : '';
  return `${kind}${code}`;
}
