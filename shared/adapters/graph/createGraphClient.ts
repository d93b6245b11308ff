import type { TokenCredential } from '@azure/identity';
import { Client } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import type { CloudEndpoints } from '../../cloud/cloudEndpoints.js';

/**
 * A Graph client for one cloud. The token's scope is the cloud's Graph resource even when the base URL
 * points elsewhere (the local cloud), and a non-Microsoft host must be listed in `customHosts` or the
 * client silently drops the Authorization header.
 */
export function createGraphClient(credential: TokenCredential, endpoints: CloudEndpoints): Client {
  const base = new URL(endpoints.graph);
  return Client.initWithMiddleware({
    authProvider: new TokenCredentialAuthenticationProvider(credential, { scopes: [`${endpoints.graphResource}/.default`] }),
    baseUrl: `${base.origin}/`,
    customHosts: new Set([base.hostname]),
  });
}
