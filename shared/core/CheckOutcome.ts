/**
 * The result of looking at one source (a vault, a tenant). "Could not check" is its own kind and is
 * never folded into an empty, all-clear result.
 */
export type CheckOutcome<T> = { kind: 'checked'; value: T } | { kind: 'unchecked'; reason: string };

export const checked = <T>(value: T): CheckOutcome<T> => ({ kind: 'checked', value });
export const unchecked = (reason: string): CheckOutcome<never> => ({ kind: 'unchecked', reason });
