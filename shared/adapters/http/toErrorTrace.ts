import { programmingErrors } from './isVigilFault.js';

/**
 * A secret-free trace of an error, for a log a person reads to find a fault (describeError is its one-line
 * counterpart for a failure's reason): the error's class (a programming error's first, as a Graph client's error
 * names the one it wraps in `code`) and Node's code, then its stack's frames. Never its message, which can quote
 * a URL or a request: a stack's first lines repeat the message, so only its `at` lines are kept (the Graph
 * client's error carries the stack of the one it wraps). Serves the vigilFault log (createVigilFaultLog) and the
 * stand-in for a Key Vault call's error that is no answer of Key Vault's (toKeyVaultFault), which adds the status.
 */
export function toErrorTrace(error: unknown): string {
  const e = (error ?? {}) as { code?: unknown; name?: unknown; stack?: unknown };
  const labels = [e.code, e.name].filter((label): label is string => typeof label === 'string' && label !== '');
  const kind = labels.find((label) => programmingErrors.has(label)) ?? labels[0] ?? 'an error without a name';
  const code = typeof e.code === 'string' && e.code !== '' && e.code !== kind ? ` (${e.code})` : '';
  const frames = typeof e.stack === 'string' ? e.stack.split('\n').filter((line) => /^\s+at /.test(line)) : [];
  return [`${kind}${code}`, ...frames].join('\n');
}
