import type { TokenCredential } from '@azure/identity';
import type { CloudEndpoints } from '../../cloud/cloudEndpoints.js';
import type { ReadFailure } from '../../scanner/DirectoryPager.js';
import type { TenantConfig } from '../../settings/tenantsSetting.js';
import { forTenant } from './forTenant.js';
import { withSharedToken } from './withSharedToken.js';
import { describeError } from '../../helpers/describeError.js';
import { readCertificatePem } from '../../tokens/readCertificatePem.js';
import { createAppTokenCredential } from '../entra/createAppTokenCredential.js';

/** `credential` keeps its tokens (withSharedToken); `signIn`: how Vigil signs in to the tenant, in words for a failure message (names and ids only). */
export type TenantCredential = { ok: true; credential: TokenCredential; signIn: string } | { ok: false; failure: ReadFailure };

/** The credential of one app signing in with one secret or certificate, shared by its tenants; or why there is none. */
export type AppCredential = { ok: true; credential: TokenCredential } | { ok: false; failure: ReadFailure };

export interface HomeAccess {
  /**
   * Vigil's own identity: what `managedIdentity` means, and what reads the other tenants' secrets. It keeps
   * its tokens already (withSharedToken), for every Graph client Vigil signs in with as itself.
   */
  credential: TokenCredential;
  /** A secret's value from one of Vigil's vaults. */
  readSecret(vaultUrl: string, name: string): Promise<string | undefined>;
  /** Where `keyVaultSecretName` is looked up when no `vaultUrl` is given: the first watched vault. */
  defaultVaultUrl: string;
  /**
   * The credential kept under `key` (appCredentialKey), or the one `create` makes (reading its secret once),
   * kept from then on unless it failed: the tenants that sign in as one app with one secret share it.
   */
  appCredential(key: string, create: () => Promise<AppCredential>): Promise<AppCredential>;
}

/**
 * Which shared credential a tenant signs in with: its cloud, the app and where its secret or certificate
 * is kept. Undefined for Vigil's own identity.
 */
export function appCredentialKey(tenant: TenantConfig, defaultVaultUrl: string): string | undefined {
  const { auth } = tenant;
  if (auth.kind === 'managedIdentity') return undefined;
  return [tenant.cloud, auth.kind, auth.clientId.toLowerCase(), auth.vaultUrl ?? defaultVaultUrl, auth.keyVaultSecretName].join('|');
}

/**
 * How Vigil signs in to one tenant. Secrets and PEM certificates of multi-tenant apps are read from
 * Key Vault when needed; only their name reaches a log or a failure, never the value. An MSP watches
 * hundreds of tenants as one app: they share one credential (createAppTokenCredential), whose secret is
 * read once, and each tenant keeps its own tokens.
 */
export async function createTenantCredential(
  tenant: TenantConfig,
  endpoints: CloudEndpoints & { overridden: boolean },
  home: HomeAccess,
): Promise<TenantCredential> {
  const { auth } = tenant;
  if (auth.kind === 'managedIdentity') return { ok: true, credential: home.credential, signIn: "as Vigil's own identity" };
  const vaultUrl = auth.vaultUrl ?? home.defaultVaultUrl;
  const signIn = `as app ${auth.clientId} with the ${auth.kind === 'clientSecret' ? 'client secret' : 'certificate'} in Key Vault secret "${auth.keyVaultSecretName}" (${vaultUrl})`;
  const shared = await home.appCredential(appCredentialKey(tenant, home.defaultVaultUrl)!, () =>
    createAppCredential({ ...tenant, auth }, vaultUrl, endpoints, home),
  );
  // Each tenant's tokens are kept for its Graph requests (withSharedToken), apart from the other tenants'.
  return shared.ok ? { ok: true, credential: withSharedToken(forTenant(shared.credential, tenant.tenantId)), signIn } : shared;
}

type AppSignIn = TenantConfig & { auth: Exclude<TenantConfig['auth'], { kind: 'managedIdentity' }> };

/** Reads the app's secret or PEM certificate and makes the credential its tenants share. */
async function createAppCredential(
  tenant: AppSignIn,
  vaultUrl: string,
  endpoints: CloudEndpoints & { overridden: boolean },
  home: HomeAccess,
): Promise<AppCredential> {
  const { auth } = tenant;
  let material: string | undefined;
  try {
    material = await home.readSecret(vaultUrl, auth.keyVaultSecretName);
  } catch (error) {
    return unreadable(auth.keyVaultSecretName, vaultUrl, describeError(error));
  }
  if (!material) return unreadable(auth.keyVaultSecretName, vaultUrl, 'the secret is empty');
  // Tokens may be asked for any tenant (`getToken`'s `tenantId`): one credential serves every tenant of a multi-tenant app.
  const app = { loginHost: endpoints.login, clientId: auth.clientId, tenantId: tenant.tenantId };
  if (auth.kind === 'clientSecret')
    return { ok: true, credential: createAppTokenCredential({ ...app, credential: { kind: 'clientSecret', secret: material } }) };
  const certificate = readCertificatePem(material);
  // The PEM itself is never quoted: only why it could not be used.
  if ('problem' in certificate) return unreadable(auth.keyVaultSecretName, vaultUrl, `the value ${certificate.problem}`);
  return { ok: true, credential: createAppTokenCredential({ ...app, credential: { kind: 'certificate', certificate } }) };
}

function unreadable(name: string, vaultUrl: string, why: string): { ok: false; failure: ReadFailure } {
  return {
    ok: false,
    failure: {
      code: 'authentication',
      reason: `could not read Vigil's credential for the tenant from Key Vault secret "${name}" in ${vaultUrl} (${why})`,
    },
  };
}
