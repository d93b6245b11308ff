import type { InvocationContext } from '@azure/functions';
import { partialWarning, unsentNote, type Flushed } from '../shared/notifications/flushDigest.js';

/**
 * A digest flush's log line: what it sent and what it did not (unsentNote), at warn when it sent late
 * (`late`: a swept bucket), and a warning of its own when it sent part of a decision (partialWarning).
 * `released`: outbox messages sent beside the flush (the daily digest's, held by older versions).
 */
export function logFlush(
  context: InvocationContext,
  label: string,
  result: Flushed,
  options: { released?: number; late?: boolean } = {},
): void {
  const line = `${label}: ${result.items} item(s) in ${result.messages + (options.released ?? 0)} outbox message(s)${unsentNote(result)}`;
  if (options.late && result.items > 0) context.warn(line);
  else context.log(line);
  const partial = partialWarning(result);
  if (partial) context.warn(`${label}: ${partial}`);
}
