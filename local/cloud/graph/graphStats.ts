import type { EmulatorContext } from '../EmulatorContext.js';

export interface GraphCounters {
  /** Operations answered: HTTP requests and `$batch` items, not the `$batch` envelope. */
  requests: number;
  /** Operations answered 429. */
  throttled: number;
  /** Identity resource units charged (admitted requests only). */
  resourceUnits: number;
}

export interface GraphStats extends GraphCounters {
  byTenant: Record<string, GraphCounters>;
}

// One set of counters per emulator context, so parallel local clouds in one process stay apart.
const statsByContext = new WeakMap<EmulatorContext, GraphStats>();

function live(ctx: EmulatorContext): GraphStats {
  let stats = statsByContext.get(ctx);
  if (!stats) {
    stats = { requests: 0, throttled: 0, resourceUnits: 0, byTenant: {} };
    statsByContext.set(ctx, stats);
  }
  return stats;
}

/** A snapshot of the Graph emulator's counters, for benchmarks and tests. */
export function graphStats(ctx: EmulatorContext): GraphStats {
  const stats = live(ctx);
  return { ...stats, byTenant: Object.fromEntries(Object.entries(stats.byTenant).map(([id, c]) => [id, { ...c }])) };
}

export function resetGraphStats(ctx: EmulatorContext): void {
  statsByContext.delete(ctx);
}

export function recordGraphRequest(
  ctx: EmulatorContext,
  tenantId: string | undefined,
  outcome: { throttled: boolean; resourceUnits: number },
): void {
  const stats = live(ctx);
  const counters: GraphCounters[] = [stats];
  if (tenantId) counters.push((stats.byTenant[tenantId] ??= { requests: 0, throttled: 0, resourceUnits: 0 }));
  for (const c of counters) {
    c.requests += 1;
    if (outcome.throttled) c.throttled += 1;
    c.resourceUnits += outcome.resourceUnits;
  }
}
