import type { Client } from '@microsoft/microsoft-graph-client';
import type { AppRegistrations } from '../../signIn/checkRedirectUri.js';
import { statusOf } from '../azure/isTransientStatus.js';
import { describeError } from '../../helpers/describeError.js';

/**
 * Reads an app registration's web redirect URIs with Graph (`GET /applications(appId='…')?$select=web`,
 * Application.Read.All), through the Graph client Vigil has for the tenant. A tenant Vigil has no client
 * for, an app registered in another tenant, or a refusal, is "unchecked", with the reason.
 */
export function createAppRegistrations(graphFor: (tenant: string) => Promise<Client | string>): AppRegistrations {
  return {
    async redirectUris(tenant, clientId) {
      const graph = await graphFor(tenant);
      if (typeof graph === 'string') return { kind: 'unchecked', reason: graph };
      try {
        const app = (await graph
          .api(`/applications(appId='${encodeURIComponent(clientId)}')`)
          .select(['appId', 'web'])
          .get()) as {
          web?: { redirectUris?: unknown };
        };
        const uris = Array.isArray(app.web?.redirectUris) ? app.web.redirectUris.filter((u): u is string => typeof u === 'string') : [];
        return { kind: 'found', uris };
      } catch (error) {
        const status = statusOf(error);
        if (status === 404)
          return {
            kind: 'unchecked',
            reason: `app ${clientId} is not registered in tenant ${tenant} (a multi-tenant app's home tenant holds its redirect URIs)`,
          };
        if (status === 403)
          return { kind: 'unchecked', reason: `Vigil may not read app registrations in tenant ${tenant} (Application.Read.All)` };
        return { kind: 'unchecked', reason: `Graph could not be asked: ${describeError(error)}` };
      }
    },
  };
}
