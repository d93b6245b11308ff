import { randomUUID } from 'node:crypto';
import type { InvocationContext as InvocationContextType } from '@azure/functions';
import { InvocationContext } from '../../functions/azureFunctions.js';

export type LogSink = (functionName: string, level: string, message: string) => void;

/** Prints function logs the way the Functions host does: one line each, tagged with the function. */
export const consoleLogSink: LogSink = (name, level, message) => {
  const line = `[${new Date().toISOString()}] ${name}: ${message}`;
  if (level === 'error') console.error(line);
  else if (level === 'warning') console.warn(line);
  else if (level !== 'trace' && level !== 'debug') console.log(line);
};

export function createInvocationContext(
  functionName: string,
  sink: LogSink,
  triggerMetadata: Record<string, unknown> = {},
): InvocationContextType {
  return new InvocationContext({
    invocationId: randomUUID(),
    functionName,
    triggerMetadata,
    logHandler: (level, ...args) => sink(functionName, level, args.map(String).join(' ')),
  });
}
