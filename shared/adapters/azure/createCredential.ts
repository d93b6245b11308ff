import { ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import type { CloudEndpoints } from '../../cloud/cloudEndpoints.js';

export interface IdentitySettings {
  tenantId: string;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
}

/**
 * Vigil's identity: the managed identity in Azure, or an app registration's secret where there is none
 * (the local cloud). Instance discovery is off for overridden hosts, which the public cloud cannot vouch for.
 */
export function createCredential(identity: IdentitySettings, endpoints: CloudEndpoints & { overridden: boolean }): TokenCredential {
  if (identity.clientSecret && identity.clientId) {
    return new ClientSecretCredential(identity.tenantId, identity.clientId, identity.clientSecret, {
      authorityHost: endpoints.login,
      disableInstanceDiscovery: endpoints.overridden,
    });
  }
  return identity.clientId ? new ManagedIdentityCredential({ clientId: identity.clientId }) : new ManagedIdentityCredential();
}
