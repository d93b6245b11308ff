import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { resourceAudiences, type EmulatorContext } from '../EmulatorContext.js';
import type { CloudName, VaultRecord } from '../state/model.js';
import { dropExpiredDeletions } from './vaultSecrets.js';

/** What every Key Vault handler sees: the parsed query (names decoded) and the api-version in force. */
export interface KeyVaultEnv {
  Bindings: HttpBindings;
  Variables: { query: URLSearchParams; apiVersion: string };
}

/** One emulated vault: its record, cloud, audience and public URL, read fresh on each request. */
export interface VaultScope {
  readonly ctx: EmulatorContext;
  readonly vaultName: string;
  vault: () => VaultRecord;
  /** The vault after purging deletions whose retention has run out (saved when any were). */
  openVault(): VaultRecord;
  cloud(): CloudName;
  /** The token audience Key Vault expects in the vault tenant's cloud (`https://vault.azure.net`). */
  audience(): string;
  /** The vault URL ids and links are built on, e.g. `https://localhost:8443`. */
  baseUrl(c: Context): string;
}

export function createVaultScope(ctx: EmulatorContext, vaultName: string): VaultScope {
  const vault = (): VaultRecord => {
    const record = ctx.store.vault(vaultName);
    if (!record) throw new Error(`vault ${vaultName} is not in the local cloud's state`);
    return record;
  };
  const cloud = (): CloudName => ctx.store.tenant(vault().tenantId)?.cloud ?? 'global';
  return {
    ctx,
    vaultName,
    vault,
    openVault: () => {
      const record = vault();
      if (dropExpiredDeletions(record, ctx.store.nowSeconds())) ctx.store.changed();
      return record;
    },
    cloud,
    audience: () => resourceAudiences[cloud()].keyVault,
    // The listener's URL is filled in after the app is built, so read it per request.
    baseUrl: (c) => ctx.endpoints.vaults[vaultName] ?? new URL(c.req.url).origin,
  };
}
