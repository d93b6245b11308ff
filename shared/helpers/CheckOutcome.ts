import { z } from 'zod';

/**
 * The result of looking at one source (a vault, a tenant). "Could not check" is its own kind and is
 * never folded into an empty, all-clear result.
 */
export type CheckOutcome<T> = { kind: 'checked'; value: T } | { kind: 'unchecked'; reason: string };

export const checked = <T>(value: T): CheckOutcome<T> => ({ kind: 'checked', value });
export const unchecked = (reason: string): CheckOutcome<never> => ({ kind: 'unchecked', reason });

/** The schema of a `CheckOutcome<T>` in a view, from the schema of its value. */
export const checkOutcomeSchema = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('checked'), value }),
    z.object({ kind: z.literal('unchecked'), reason: z.string().describe('Why it could not be checked: never read as all clear.') }),
  ]);
