import type { GetTokenOptions, TokenCredential } from '@azure/identity';

/**
 * One tenant's view of a credential that signs in to many (`additionallyAllowedTenants: ['*']`): every
 * token is asked for that tenant, whatever the caller passed. The SDK then asks the tenant's own
 * authority, and MSAL keeps that tenant's tokens apart from the others' in its cache.
 * learn.microsoft.com/javascript/api/@azure/identity/multitenanttokencredentialoptions
 */
export function forTenant(credential: TokenCredential, tenantId: string): TokenCredential {
  return {
    getToken: (scopes: string | string[], options?: GetTokenOptions) => credential.getToken(scopes, { ...options, tenantId }),
  };
}
