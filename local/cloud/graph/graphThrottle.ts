import type { LocalCloudLimits } from '../EmulatorContext.js';
import { SlidingWindowLimiter } from '../http/slidingWindowLimiter.js';
import type { GraphRoute, RequestIds } from './graphCall.js';
import { correlationHeaders } from './graphResponses.js';

/** What a request costs under the identity and access limits (learn.microsoft.com/graph/throttling-limits). */
export interface RequestCost {
  resourceUnits: number;
  writes: number;
  /** `$select` includes keyCredentials: limited per tenant per minute on its own. */
  selectsKeyCredentials: boolean;
}

/**
 * Base cost: GET applications 2, any other GET 1, any write 1 plus one write. `$select` −1, `$expand` +1,
 * `$top` under 20 −1, never below 1. Outlook (sendMail) and `$batch` itself are outside these limits.
 */
export function requestCost(method: string, route: GraphRoute, query: URLSearchParams): RequestCost | undefined {
  if (route.kind === 'sendMail' || route.kind === 'batch') return undefined;
  const isRead = method === 'GET';
  let resourceUnits = isRead && route.kind === 'list' && route.collection === 'applications' ? 2 : 1;
  if (query.has('$select')) resourceUnits -= 1;
  if (query.has('$expand')) resourceUnits += 1;
  const top = Number(query.get('$top'));
  if (query.has('$top') && top < 20) resourceUnits -= 1;
  const select = (query.get('$select') ?? '')
    .toLowerCase()
    .split(',')
    .map((s) => s.trim());
  return { resourceUnits: Math.max(1, resourceUnits), writes: isRead ? 0 : 1, selectsKeyCredentials: select.includes('keycredentials') };
}

export type ThrottleOutcome = { admitted: true } | { admitted: false; retryAfterMs: number; scope: string; information: string };

interface Check {
  limiter: SlidingWindowLimiter;
  key: string;
  cost: number;
  scope: string;
  information: string;
}

/**
 * The limits of one Graph host: resource units and writes per app and tenant, keyCredentials selects per
 * tenant. Limits are read on each request so a test or benchmark may lower them while the cloud runs.
 * A request refused by a later limit has still been charged by the earlier ones; the real service is
 * no more precise than that.
 */
export class GraphThrottle {
  private readonly limiters = new Map<string, SlidingWindowLimiter>();

  constructor(private readonly limits: () => LocalCloudLimits['graph']) {}

  take(appId: string, tenantId: string, cost: RequestCost, nowMs: number): ThrottleOutcome {
    const l = this.limits();
    const pair = `${appId}/${tenantId}`;
    const checks: Check[] = [];
    if (cost.selectsKeyCredentials) {
      checks.push({
        limiter: this.limiter('keyCredentials', l.keyCredentialsSelectsPerMinute, 60_000),
        key: tenantId,
        cost: 1,
        scope: `Tenant/Read/${appId}/${tenantId}`,
        information: 'KeyCredentialsSelectLimitExceeded',
      });
    }
    if (cost.writes > 0) {
      checks.push({
        limiter: this.limiter('writes', l.writesPer150s, 150_000),
        key: pair,
        cost: cost.writes,
        scope: `Tenant_Application/Write/${pair}`,
        information: 'WriteLimitExceeded',
      });
    }
    checks.push({
      limiter: this.limiter('resourceUnits', l.resourceUnitsPer10s, 10_000),
      key: pair,
      cost: cost.resourceUnits,
      scope: `Tenant_Application/ReadWrite/${pair}`,
      information: 'ResourceUnitLimitExceeded',
    });
    for (const check of checks) {
      const taken = check.limiter.take(check.key, check.cost, nowMs);
      if (!taken.admitted)
        return {
          admitted: false,
          retryAfterMs: taken.retryAfterMs,
          scope: check.scope,
          information: check.information,
        };
    }
    return { admitted: true };
  }

  private limiter(name: string, limit: number, windowMs: number): SlidingWindowLimiter {
    const key = `${name}/${limit}/${windowMs}`;
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = new SlidingWindowLimiter(limit, windowMs);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }
}

/**
 * `Retry-After` in whole seconds (at least 1), or to the millisecond (`2.128`) as Graph's throttling
 * page shows it (learn.microsoft.com/graph/throttling) when the local cloud is asked for fractions.
 */
export function toRetryAfter(retryAfterMs: number, fractional: boolean): string {
  return fractional ? (Math.max(1, Math.ceil(retryAfterMs)) / 1000).toFixed(3) : String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
}

/** Graph's 429: `Retry-After`, the throttle scope and reason, and its fixed error body. */
export function tooManyRequests(
  ids: RequestIds,
  outcome: Extract<ThrottleOutcome, { admitted: false }>,
  resourceUnits: number,
  fractionalRetryAfter: boolean,
): Response {
  const body = {
    error: {
      code: 'TooManyRequests',
      message: 'Please retry again later.',
      innerError: { code: '429', date: ids.date, message: 'Please retry after', 'request-id': ids.requestId, status: '429' },
    },
  };
  return new Response(JSON.stringify(body), {
    status: 429,
    headers: {
      ...correlationHeaders(ids),
      'content-type': 'application/json',
      'retry-after': toRetryAfter(outcome.retryAfterMs, fractionalRetryAfter),
      'x-ms-throttle-scope': outcome.scope,
      'x-ms-throttle-information': outcome.information,
      'x-ms-resource-unit': String(resourceUnits),
    },
  });
}
