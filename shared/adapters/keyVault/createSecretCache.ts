import type { SecretClient } from '@azure/keyvault-secrets';
import { describeVaultFailure, type VaultFailure } from '../../vault/VaultFailure.js';
import { toVaultFailure } from './toVaultFailure.js';

/**
 * A channel secret as the cache has it:
 * - `current`: read from Key Vault within the cache's lifetime;
 * - `lastKnownGood`: Key Vault could not be read (throttled, unreachable, Vigil's token or role missing),
 *   so the value last read is served, with the reason;
 * - `absent`: the secret was deleted or disabled: someone switched the channel off, so no old value is served;
 * - `unreadable`: Key Vault could not be read and no value was ever read in this process.
 */
export type ChannelSecret =
  | { kind: 'current'; value: string }
  | { kind: 'lastKnownGood'; value: string; because: string }
  | { kind: 'absent'; because: 'deleted' | 'disabled' }
  | { kind: 'unreadable'; because: string };

/** Reads a secret's current value by name, as `ChannelSecret`. */
export interface ChannelSecrets {
  get(name: string): Promise<ChannelSecret>;
}

/**
 * Channel secrets (Teams Workflow URLs, webhook signing keys) from Key Vault, kept in memory for `ttlMs`
 * so a digest run does not read each one per message. When Key Vault cannot be read, the last value read
 * is served for the life of the process (the issue 13 outage: every channel needed a fresh Entra token),
 * and Key Vault is tried again after another `ttlMs`. Values live only in this map: never logged, never
 * stored; reasons carry only the service's status and code.
 */
export function createSecretCache(client: SecretClient, ttlMs: number, nowMs: () => number = Date.now): ChannelSecrets {
  const fresh = new Map<string, { secret: ChannelSecret; until: number }>();
  const lastGood = new Map<string, string>();
  return {
    async get(name) {
      const hit = fresh.get(name);
      if (hit && hit.until > nowMs()) return hit.secret;
      const secret = await read(client, name, lastGood);
      if (secret.kind === 'current') lastGood.set(name, secret.value);
      if (secret.kind === 'absent') lastGood.delete(name);
      // Without any value yet, the next delivery asks Key Vault again rather than waiting out the lifetime.
      if (secret.kind !== 'unreadable') fresh.set(name, { secret, until: nowMs() + ttlMs });
      return secret;
    },
  };
}

async function read(client: SecretClient, name: string, lastGood: ReadonlyMap<string, string>): Promise<ChannelSecret> {
  let failure: VaultFailure;
  try {
    const value = (await client.getSecret(name)).value;
    if (value) return { kind: 'current', value };
    failure = { kind: 'notFound' };
  } catch (error) {
    failure = toVaultFailure(error);
  }
  if (failure.kind === 'notFound') return { kind: 'absent', because: 'deleted' };
  if (failure.kind === 'disabled') return { kind: 'absent', because: 'disabled' };
  const because = `Key Vault could not be read (${describeVaultFailure(failure)})`;
  const value = lastGood.get(name);
  return value === undefined ? { kind: 'unreadable', because } : { kind: 'lastKnownGood', value, because };
}
