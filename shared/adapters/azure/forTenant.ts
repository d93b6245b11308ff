import type { GetTokenOptions, TokenCredential } from '@azure/identity';

/**
 * One tenant's view of a credential that signs in to many (createAppTokenCredential, or an `@azure/identity`
 * credential with `additionallyAllowedTenants: ['*']`): every token is asked for that tenant, whatever the
 * caller passed, so it comes from the tenant's own token endpoint.
 * learn.microsoft.com/javascript/api/@azure/identity/multitenanttokencredentialoptions
 */
export function forTenant(credential: TokenCredential, tenantId: string): TokenCredential {
  return {
    getToken: (scopes: string | string[], options?: GetTokenOptions) => credential.getToken(scopes, { ...options, tenantId }),
  };
}
