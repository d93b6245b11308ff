import type { TokenCredential } from '@azure/identity';
import type { SecretClient } from '@azure/keyvault-secrets';
import { appCredentialKey, createTenantCredential } from '../adapters/azure/createTenantCredential.js';
import { firstSignInAlone } from '../adapters/azure/firstSignInAlone.js';
import { withSingleFlight } from '../adapters/azure/withSingleFlight.js';
import type { GraphConnection } from '../adapters/graph/createDirectoryPager.js';
import { createGraphClient } from '../adapters/graph/createGraphClient.js';
import { createSecretClient } from '../adapters/keyVault/createSecretClient.js';
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
 * Clients and the secrets they sign in with are kept per process so access tokens are reused between
 * scans; a failed sign-in is never kept, and `forget` makes the next scan read the secret again. National clouds use their own login and Graph hosts (or the overrides of the local cloud).
 */
export function createTenantClients(settings: Settings, homeCredential: TokenCredential): TenantClients {
  const secretClients = new Map<string, SecretClient>();
  const secretClient = (url: string) => secretClients.get(url) ?? secretClients.set(url, createSecretClient(url, homeCredential)).get(url)!;
  // Many tenants may share one multi-tenant app and its secret: read it once, not once per tenant.
  const secrets = new Map<string, Promise<string | undefined>>();
  const readSecret = (vaultUrl: string, name: string) => {
    const id = `${vaultUrl}|${name}`;
    const cached =
      secrets.get(id) ??
      secretClient(vaultUrl)
        .getSecret(name)
        .then((s) => s.value);
    secrets.set(id, cached);
    cached.catch(() => secrets.delete(id));
    return cached;
  };
  // One credential per app and secret, shared by the tenants that sign in with it (createTenantCredential).
  const appCredentials = new Map<string, TokenCredential>();
  const appCredential = (key: string, create: () => TokenCredential) =>
    appCredentials.get(key) ?? appCredentials.set(key, firstSignInAlone(create())).get(key)!;
  const home = { credential: homeCredential, readSecret, defaultVaultUrl: settings.VIGIL_KEY_VAULT_URLS[0]!, appCredential };
  const connections = new Map<string, Promise<GraphConnection>>();
  const key = (tenantId: string) => tenantId.toLowerCase();
  // The next sign-in reads the secret again and makes a credential with it; tenants still connected keep theirs.
  const forgetSecretOf = (tenantId: string) => {
    const tenant = settings.VIGIL_TENANTS?.find((t) => key(t.tenantId) === key(tenantId));
    const { auth } = tenant ?? {};
    if (!tenant || !auth || auth.kind === 'managedIdentity') return;
    secrets.delete(`${auth.vaultUrl ?? home.defaultVaultUrl}|${auth.keyVaultSecretName}`);
    appCredentials.delete(appCredentialKey(tenant, home.defaultVaultUrl)!);
  };
  return {
    connect(tenant) {
      const cached = connections.get(key(tenant.tenantId));
      if (cached) return cached;
      const endpoints = resolveCloud(settings, tenant.cloud);
      const connection = createTenantCredential(tenant, endpoints, home).then((c): GraphConnection => {
        if (!c.ok) return c;
        const credential = withSingleFlight(c.credential);
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
      forgetSecretOf(tenantId);
    },
  };
}
