import type { EmulatorContext } from '../EmulatorContext.js';

/**
 * How an invalidated delta token is answered, the two resync signals Graph documents
 * (learn.microsoft.com/graph/delta-query-overview, "Synchronization reset" and "Token duration"):
 * - `expired`: 400 `syncStateNotFound`, what identity resources answer once a token's 7 days are over;
 * - `resync`: 410 Gone with a `Location` to start over, what tenant maintenance or migration causes.
 */
export type DeltaInvalidation = 'expired' | 'resync';

export interface TenantDeltaState {
  /** Tokens carry the generation they were issued in; older generations are invalid. */
  generation: number;
  invalidatedAs: DeltaInvalidation;
}

/** Delta tokens last seven days for directory objects. */
export const deltaTokenLifetimeMs = 7 * 86_400_000;

// Kept per emulator context, not in the saved state: a restart of the local cloud forgets invalidations,
// which only tests and benchmarks make. A generation rather than a "minimum valid changeSeq" because a
// round started right after an invalidation would otherwise issue tokens that are already too old.
const states = new WeakMap<EmulatorContext, Map<string, TenantDeltaState>>();

export function deltaState(ctx: EmulatorContext, tenantId: string): TenantDeltaState {
  let tenants = states.get(ctx);
  if (!tenants) {
    tenants = new Map();
    states.set(ctx, tenants);
  }
  let state = tenants.get(tenantId);
  if (!state) {
    state = { generation: 0, invalidatedAs: 'expired' };
    tenants.set(tenantId, state);
  }
  return state;
}

/** Admin hook: every delta and skip token issued so far for the tenant stops working, answered as `as` says. */
export function invalidateDeltaTokens(ctx: EmulatorContext, tenantId: string, as: DeltaInvalidation = 'expired'): void {
  const tenant = ctx.store.tenant(tenantId);
  const state = deltaState(ctx, tenant?.id ?? tenantId.toLowerCase());
  state.generation += 1;
  state.invalidatedAs = as;
}
