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

/** Status and code only (storage errors can quote a request); our own errors by their message. */
export function describeError(error: unknown): string {
  const e = error as { statusCode?: unknown; code?: unknown; name?: unknown };
  const named = [typeof e.statusCode === 'number' ? `HTTP ${e.statusCode}` : undefined, typeof e.code === 'string' ? e.code : undefined]
    .filter(Boolean)
    .join(' ');
  if (named) return named;
  return error instanceof Error && error.name === 'Error' ? error.message : typeof e.name === 'string' ? e.name : 'unknown error';
}

export const warningsOf = (results: ReadonlyArray<string | undefined>): string[] => results.filter((w): w is string => w !== undefined);
