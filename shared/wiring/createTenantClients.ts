import type { TokenCredential } from '@azure/identity';
import type { SecretClient } from '@azure/keyvault-secrets';
import { appCredentialKey, createTenantCredential, type AppCredential } from '../adapters/azure/createTenantCredential.js';
import type { GraphConnection } from '../adapters/graph/createDirectoryPager.js';
import { createGraphClient } from '../adapters/graph/createGraphClient.js';
import { createSecretClient } from '../adapters/keyVault/createSecretClient.js';
import { toDescribableVaultError } from '../adapters/keyVault/toVaultFailure.js';
import type { Settings } from '../settings/settingsSchema.js';
import type { TenantConfig } from '../settings/tenantsSetting.js';
import { resolveCloud } from './resolveCloud.js';

/** A Graph client per watched tenant, in that tenant's cloud, signed in the way its configuration says. */
export interface TenantClients {
  connect(tenant: TenantConfig): Promise<GraphConnection>;
  /** Drops a tenant's cached client, e.g. after its sign-in failed, so the next scan reads its secret again. */
  forget(tenantId: string): void;
}

/**
 * Clients and the credentials they sign in with are kept per process so access tokens are reused between
 * scans; a failed sign-in is never kept, and `forget` drops the tenant's credential, shared or not, so
 * the next scan reads its secret again and picks up a rotated one. National clouds use their own login
 * and Graph hosts (or the overrides of the local cloud). `homeCredential` is Vigil's own, keeping its
 * tokens (withSharedToken), as every Graph client signing in as Vigil shares it.
 */
export function createTenantClients(settings: Settings, homeCredential: TokenCredential): TenantClients {
  const secretClients = new Map<string, SecretClient>();
  const secretClient = (url: string) => secretClients.get(url) ?? secretClients.set(url, createSecretClient(url, homeCredential)).get(url)!;
  const readSecret = async (vaultUrl: string, name: string) => {
    try {
      return (await secretClient(vaultUrl).getSecret(name)).value;
    } catch (error) {
      // Described for the scan's reason by status and codes: an error that is not Key Vault's, without its message.
      throw toDescribableVaultError(error);
    }
  };
  // One credential per app and secret, shared by the tenants that sign in with it (createTenantCredential):
  // its secret is read once, not once per tenant. A credential that could not be made is not kept.
  const appCredentials = new Map<string, Promise<AppCredential>>();
  const appCredential = (key: string, create: () => Promise<AppCredential>) => {
    const kept = appCredentials.get(key);
    if (kept) return kept;
    const made = create();
    appCredentials.set(key, made);
    // Only this attempt is dropped: one that `forget` already replaced stays.
    const drop = () => appCredentials.get(key) === made && appCredentials.delete(key);
    void made.then((c) => c.ok || drop(), drop);
    return made;
  };
  const home = { credential: homeCredential, readSecret, defaultVaultUrl: settings.VIGIL_KEY_VAULT_URLS[0]!, appCredential };
  const connections = new Map<string, Promise<GraphConnection>>();
  const key = (tenantId: string) => tenantId.toLowerCase();
  // The next sign-in reads the secret again and makes a credential with it; tenants still connected keep theirs.
  const forgetCredentialOf = (tenantId: string) => {
    const tenant = settings.VIGIL_TENANTS?.find((t) => key(t.tenantId) === key(tenantId));
    const shared = tenant && appCredentialKey(tenant, home.defaultVaultUrl);
    if (shared) appCredentials.delete(shared);
  };
  return {
    connect(tenant) {
      const cached = connections.get(key(tenant.tenantId));
      if (cached) return cached;
      const endpoints = resolveCloud(settings, tenant.cloud);
      const connection = createTenantCredential(tenant, endpoints, home).then((c): GraphConnection => {
        if (!c.ok) return c;
        const { credential } = c;
        // Start signing in now, while the scan reads its state; the first Graph request then finds the token
        // cached. A failure here is not lost: that request meets it again and reports it.
        credential.getToken(`${endpoints.graphResource}/.default`).catch(() => undefined);
        return { ok: true, graph: createGraphClient(credential, endpoints), origin: new URL(endpoints.graph).origin, signIn: c.signIn };
      });
      connections.set(key(tenant.tenantId), connection);
      void connection.then((c) => {
        if (!c.ok) connections.delete(key(tenant.tenantId));
      });
      return connection;
    },
    forget(tenantId) {
      connections.delete(key(tenantId));
      forgetCredentialOf(tenantId);
    },
  };
}
