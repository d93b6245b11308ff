import { simulateQueueListener } from '../local/devhost/queueListener.js';

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

/** The requests one after another in a connection's refresh, each waiting the service's latency (`BENCH_LATENCY`). */
export const REFRESH_CHAINS = {
  /** Read the token, redeem it, update the version's tags. */
  probe: ['keyvault', 'entra', 'keyvault'],
  /** Read the token, redeem it, write the new version (its versions listed beside the write), disable the oldest enabled one. */
  writeBack: ['keyvault', 'entra', 'keyvault', 'keyvault'],
} as const;

/**
 * The shortest time the fewest requests take at the given latencies through one Functions instance's
 * queue listener: the first listing page must come back before the first message exists; then each
 * refresh takes its own chain of requests (a write-back's is longer; the first refresh of each app also
 * reads its client secret, once), and the listener's rule (local/devhost/queueListener.ts, the rule the
 * bench's driver admits refreshes by) is simulated over them, the write-backs spread evenly through the queue.
 */
export function refreshLatencyFloor(
  minimum: { connections: number; writeBacks: number; apps: number },
  latency: { keyvault: number; entra: number },
): { seconds: number; how: string } {
  const chainMs = (chain: readonly ('keyvault' | 'entra')[]) => chain.reduce((sum, service) => sum + latency[service], 0);
  const [probeMs, writeBackMs] = [chainMs(REFRESH_CHAINS.probe), chainMs(REFRESH_CHAINS.writeBack)];
  const { connections, writeBacks, apps } = minimum;
  const durations = Array.from({ length: connections }, (_, i) => {
    const writeBack = Math.floor(((i + 1) * writeBacks) / connections) > Math.floor((i * writeBacks) / connections);
    return (writeBack ? writeBackMs : probeMs) + (i < apps ? latency.keyvault : 0);
  });
  const run = simulateQueueListener(durations);
  const how =
    `first list page ${latency.keyvault} ms + ${run.how}; ${connections - writeBacks} probes × ${probeMs} ms, ${writeBacks} write-backs × ${writeBackMs} ms,` +
    ` ${apps} client secrets × ${latency.keyvault} ms`;
  return { seconds: (latency.keyvault + run.ms) / 1000, how };
}
