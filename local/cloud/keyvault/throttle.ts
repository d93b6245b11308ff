import type { MiddlewareHandler } from 'hono';
import { SlidingWindowLimiter } from '../http/slidingWindowLimiter.js';
import { throttled } from './keyVaultErrors.js';
import { vaultRuntime, type KeyVaultRequestKind } from './keyVaultStats.js';
import { sendFailure } from './sendJson.js';
import type { KeyVaultEnv, VaultScope } from './VaultScope.js';

const windowMs = 10_000;

/** Secret creates (PUT /secrets/{name}) have their own, lower limit; everything else shares one. */
export function toRequestKind(method: string, pathname: string): KeyVaultRequestKind {
  const segments = pathname.split('/').filter(Boolean);
  return method.toUpperCase() === 'PUT' && segments.length === 2 && segments[0] === 'secrets' ? 'create' : 'other';
}

/**
 * Key Vault's per-vault limits over a 10 s window (protocol-facts §1 "Throttling"). A throttled
 * request is not counted against the limit, and gets 429 with `Retry-After` in whole seconds.
 * Limits are read per request so a test or benchmark that changes `ctx.limits` takes effect at once.
 */
export function throttle(scope: VaultScope): MiddlewareHandler<KeyVaultEnv> {
  return async (c, next) => {
    const kind = toRequestKind(c.req.method, new URL(c.req.url).pathname);
    const runtime = vaultRuntime(scope.ctx, scope.vaultName);
    const limits = scope.ctx.limits.keyVault;
    const limit = kind === 'create' ? limits.secretCreatesPer10s : limits.otherTransactionsPer10s;
    let limiter = runtime.limiters[kind];
    if (!limiter || limiter.limit !== limit) {
      limiter = new SlidingWindowLimiter(limit, windowMs);
      runtime.limiters[kind] = limiter;
    }
    // Real time, not the emulated clock: Retry-After is what a client actually waits.
    const decision = limiter.take(scope.vaultName, 1, Date.now());
    if (!decision.admitted) {
      runtime.stats.throttled += 1;
      return sendFailure(c, throttled(Math.ceil(decision.retryAfterMs / 1000)));
    }
    if (kind === 'create') runtime.stats.creates += 1;
    else runtime.stats.others += 1;
    return next();
  };
}
