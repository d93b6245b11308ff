import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { createSlidingWindowBudget, type SlidingWindowBudget } from '../../helpers/createSlidingWindowBudget.js';

/**
 * Key Vault's per-vault limits (protocol-facts §1 "Throttling"): secret creates 300 per 10 s, all
 * other transactions 4,000 per 10 s. https://learn.microsoft.com/azure/key-vault/general/service-limits
 */
export const keyVaultLimits = { createsPer10s: 300, othersPer10s: 4_000, windowMs: 10_000 } as const;

export interface VaultBudget {
  creates: SlidingWindowBudget;
  others: SlidingWindowBudget;
}

export function createVaultBudget(limits: { createsPer10s: number; othersPer10s: number } = keyVaultLimits): VaultBudget {
  return {
    creates: createSlidingWindowBudget(limits.createsPer10s, keyVaultLimits.windowMs),
    others: createSlidingWindowBudget(limits.othersPer10s, keyVaultLimits.windowMs),
  };
}

/**
 * A per-retry pipeline policy that paces every request to one vault within its budget, so a burst of
 * refreshes runs at the vault's limit instead of into 429s. Other clients of the vault share the
 * service's limit; their 429s still reach the core, which honours Retry-After.
 */
export function vaultBudgetPolicy(budget: VaultBudget): PipelinePolicy {
  return {
    name: 'vigilVaultBudget',
    async sendRequest(request, next) {
      const segments = new URL(request.url).pathname.split('/').filter(Boolean);
      const isCreate = request.method === 'PUT' && segments.length === 2 && segments[0] === 'secrets';
      const release = await (isCreate ? budget.creates : budget.others).take();
      try {
        return await next(request);
      } finally {
        release();
      }
    },
  };
}
