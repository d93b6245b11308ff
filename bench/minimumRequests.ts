/** Key Vault's per-vault limits over 10 s (protocol-facts §1). */
export const KEY_VAULT_LIMITS = { creates: 300, others: 4_000, windowSeconds: 10 } as const;
const LIST_PAGE = 25;

export interface MinimumRequests {
  creates: number;
  others: number;
  tokenCalls: number;
}

/**
 * The fewest requests one planning run and refresh of every connection needs, by design: list the
 * vault (25 a page; `listedApps` client secrets are listed beside the tokens); read each token; read the
 * client secret of each of the `apps` the vault's connections use, once; call the token endpoint once
 * per connection; then per probe one tag update, per write-back one create, one versions listing and
 * one disable (each written-back secret has one older enabled version beyond the newest two).
 */
export function minimumRequests(connections: number, writeBacks: number, apps: number, listedApps = apps): MinimumRequests {
  const probes = connections - writeBacks;
  return {
    creates: writeBacks,
    others: Math.ceil((connections + listedApps) / LIST_PAGE) + connections + apps + probes + 2 * writeBacks,
    tokenCalls: connections,
  };
}

/**
 * The shortest time the limits allow for these requests: a 10 s sliding window admits `limit` at once,
 * so the last of n requests can start after floor((n - 1) / limit) windows. Also the sustained-rate
 * figure n / (limit per 10 s), which small runs beat because the first window is a free burst.
 */
export function limitBoundSeconds(minimum: MinimumRequests): { window: number; sustained: number } {
  const windows = (n: number, limit: number) => Math.floor(Math.max(n - 1, 0) / limit) * KEY_VAULT_LIMITS.windowSeconds;
  return {
    window: Math.max(windows(minimum.creates, KEY_VAULT_LIMITS.creates), windows(minimum.others, KEY_VAULT_LIMITS.others)),
    sustained: Math.max(
      (minimum.creates / KEY_VAULT_LIMITS.creates) * KEY_VAULT_LIMITS.windowSeconds,
      (minimum.others / KEY_VAULT_LIMITS.others) * KEY_VAULT_LIMITS.windowSeconds,
    ),
  };
}
