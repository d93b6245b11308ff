import type { Client } from '@microsoft/microsoft-graph-client';
import { noClientRetries } from './createGraphClient.js';
import type { ReadFailure } from '../../scanner/DirectoryPager.js';
import { classifyGraphError, type GraphErrorClass } from './classifyGraphError.js';
import type { VigilFaultLog } from '../http/createVigilFaultLog.js';
import type { SlidingWindowBudget } from '../../helpers/createSlidingWindowBudget.js';

/** How long a read may keep retrying throttled or failing requests before the tenant counts as unscanned. */
export interface RetryBudget {
  maxRetriesPerRequest: number;
  /** Total time a whole read may spend waiting (Retry-After and back-off). */
  maxTotalWaitMs: number;
}

export const defaultRetryBudget: RetryBudget = { maxRetriesPerRequest: 6, maxTotalWaitMs: 10 * 60_000 };

export type PageResult = { kind: 'ok'; body: unknown } | Exclude<GraphErrorClass, { kind: 'retry' }>;

export interface PageFetcher {
  get(url: string, headers?: Record<string, string>): Promise<PageResult>;
}

interface PageFetcherOptions {
  /** Where a request Vigil could not make (vigilFault) leaves its class and stack, for its fix text. */
  vigilFaultLog: VigilFaultLog;
  /**
   * Keeps a tenant's Graph requests under "N per window" (150 requests a minute per tenant when `$select`
   * includes keyCredentials; learn.microsoft.com/graph/throttling-limits): Graph may take all N at once, then
   * one more each time the oldest leaves the window. A request holds its place from when it is sent (readers
   * of a tenant's two collections, and a prefetched page, are in flight at once) until a window after its
   * answer arrived, never earlier than Graph counted it, so the window here closes no sooner than Graph's.
   * A request Graph refused gives its place back (`release({ counted: false })`): Graph does not count a 429.
   */
  pacer: SlidingWindowBudget;
  sleep: (ms: number) => Promise<void>;
  budget: RetryBudget;
}

/**
 * The Graph client's RetryHandler would also retry 429s (3 times, sleeping in-process) and then throw,
 * and we could neither inject its sleep nor tell "throttled beyond the budget" from other errors. So it
 * is switched off per request (noClientRetries) and retries happen here: Retry-After when Graph gives one,
 * else exponential back-off, within one budget for the whole read.
 */
export function createPageFetcher(graph: Client, options: PageFetcherOptions): PageFetcher {
  const { pacer, sleep, budget, vigilFaultLog } = options;
  let waitedMs = 0;
  return {
    async get(url, headers = {}) {
      for (let attempt = 0; ; attempt += 1) {
        const release = await pacer.take();
        try {
          let request = graph.api(url).middlewareOptions([noClientRetries]);
          for (const [name, value] of Object.entries(headers)) request = request.header(name, value);
          const body = (await request.get()) as unknown;
          release();
          return { kind: 'ok', body };
        } catch (error) {
          release({ counted: false });
          const verdict = classifyGraphError(error);
          if (verdict.kind === 'failed' && verdict.failure.code === 'vigilFault') vigilFaultLog(error, 'Graph request');
          if (verdict.kind !== 'retry') return verdict;
          const waitMs = verdict.waitMs ?? 1000 * 2 ** attempt;
          if (attempt >= budget.maxRetriesPerRequest || waitedMs + waitMs > budget.maxTotalWaitMs)
            return { kind: 'failed', failure: beyondBudget(verdict.status, attempt, waitedMs) };
          waitedMs += waitMs;
          await sleep(waitMs);
        }
      }
    },
  };
}

function beyondBudget(status: number, retries: number, waitedMs: number): ReadFailure {
  const waited = `${retries} retries, ${Math.round(waitedMs / 1000)} s of waiting`;
  if (status === 429) return { code: 'throttled', reason: `Graph throttled the scan beyond its retry budget (HTTP 429 after ${waited})` };
  return { code: 'incomplete', reason: `Graph kept failing (${status === -1 ? 'connection error' : `HTTP ${status}`} after ${waited})` };
}
