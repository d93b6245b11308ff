import type { EmulatorContext } from '../EmulatorContext.js';
import type { SlidingWindowLimiter } from '../http/slidingWindowLimiter.js';

/** Admitted secret creates, admitted other transactions, and requests answered 429, for one vault. */
export interface KeyVaultStats {
  creates: number;
  others: number;
  throttled: number;
}

export type KeyVaultRequestKind = 'create' | 'other';

interface VaultRuntime {
  stats: KeyVaultStats;
  limiters: Partial<Record<KeyVaultRequestKind, SlidingWindowLimiter>>;
}

/** Per local cloud (its context), per vault name: counters and limiters live as long as the cloud does. */
const runtimes = new WeakMap<EmulatorContext, Map<string, VaultRuntime>>();

export function vaultRuntime(ctx: EmulatorContext, vaultName: string): VaultRuntime {
  let vaults = runtimes.get(ctx);
  if (!vaults) {
    vaults = new Map();
    runtimes.set(ctx, vaults);
  }
  let runtime = vaults.get(vaultName);
  if (!runtime) {
    runtime = { stats: { creates: 0, others: 0, throttled: 0 }, limiters: {} };
    vaults.set(vaultName, runtime);
  }
  return runtime;
}

/** A snapshot of a vault's request counters, for benchmarks and tests. */
export function keyVaultStats(ctx: EmulatorContext, vaultName: string): KeyVaultStats {
  return { ...vaultRuntime(ctx, vaultName).stats };
}

/** Zeroes a vault's counters and empties its throttling windows. */
export function resetKeyVaultStats(ctx: EmulatorContext, vaultName: string): void {
  const runtime = vaultRuntime(ctx, vaultName);
  runtime.stats = { creates: 0, others: 0, throttled: 0 };
  runtime.limiters = {};
}
