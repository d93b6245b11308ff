import { describeError } from '../helpers/describeError.js';

/**
 * Runs work that must not undo what came before it (cleanup after a delivery, a log line): a failure
 * becomes a warning for the function's log, never an exception that would make the host run the ticket
 * again. Undefined when it worked.
 */
export async function bestEffort(what: string, work: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await work();
    return undefined;
  } catch (error) {
    return `could not ${what}: ${describeError(error)}`;
  }
}

export const warningsOf = (results: ReadonlyArray<string | undefined>): string[] => results.filter((w): w is string => w !== undefined);
