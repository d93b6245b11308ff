import {
  createSlidingWindowBudget,
  systemClock,
  type SlidingWindowBudget,
  type WindowClock,
} from '../../helpers/createSlidingWindowBudget.js';

/**
 * Keeps a tenant's Graph requests under "N per window" (150 requests a minute per tenant when `$select`
 * includes keyCredentials; learn.microsoft.com/graph/throttling-limits): Graph may take all N at once, then
 * one more each time the oldest leaves the window. A request holds its place from when it is sent (readers
 * of a tenant's two collections, and a prefetched page, are in flight at once) until a window after its
 * answer arrived, never earlier than Graph counted it, so the window here closes no sooner than Graph's.
 * A request Graph refused gives its place back (`release({ counted: false })`): Graph does not count a 429.
 */
export type RequestPacer = SlidingWindowBudget;

export interface PacerOptions {
  limit: number;
  windowMs: number;
  clock?: WindowClock;
}

export function createRequestPacer(options: PacerOptions): RequestPacer {
  return createSlidingWindowBudget(options.limit, options.windowMs, options.clock ?? systemClock);
}
