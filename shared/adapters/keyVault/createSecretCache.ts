import type { SecretClient } from '@azure/keyvault-secrets';

/** Reads a secret's current value by name; undefined when there is no such secret. */
export interface SecretValues {
  get(name: string): Promise<string | undefined>;
}

/**
 * Channel secrets (Teams Workflow URLs, webhook signing keys) from Key Vault, kept in memory for
 * `ttlMs` so a digest run does not read each one per message. Values are never logged; errors carry
 * only the SDK's status and code (see describeAzureError).
 */
export function createSecretCache(client: SecretClient, ttlMs: number, nowMs: () => number = Date.now): SecretValues {
  const cache = new Map<string, { value: string | undefined; until: number }>();
  return {
    async get(name) {
      const hit = cache.get(name);
      if (hit && hit.until > nowMs()) return hit.value;
      let value: string | undefined;
      try {
        value = (await client.getSecret(name)).value;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      }
      cache.set(name, { value, until: nowMs() + ttlMs });
      return value;
    },
  };
}
