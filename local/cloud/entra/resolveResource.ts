import { resourceAudiences } from '../EmulatorContext.js';
import type { CloudStore } from '../state/CloudStore.js';
import type { CloudName } from '../state/model.js';
import type { TenantDirectory } from '../state/TenantDirectory.js';
import type { EntraFailureSpec } from './tokenRequest.js';

/** Resources outside the directory that delegated tokens are commonly issued for (mail access). */
const firstPartyResources = ['https://outlook.office.com', 'https://outlook.office365.com'];

/** The audience a scope's resource maps to, or the error Entra gives for a resource it does not know. */
export function resolveResource(store: CloudStore, cloud: CloudName, tenant: TenantDirectory, resource: string): string | EntraFailureSpec {
  const known = resourceAudiences[cloud];
  if (resource === known.graph || resource === known.keyVault || firstPartyResources.includes(resource)) return resource;
  const api = store.directory.api(resource);
  if (api && tenant.servicePrincipalOf(api.appId)) return resource;
  return {
    error: 'invalid_resource',
    code: 500011,
    description: `The resource principal named ${resource} was not found in the tenant named ${tenant.record.displayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
  };
}

/** App roles the client's service principal holds on the resource, as `roles` in its token. */
export function rolesFor(tenant: TenantDirectory, clientAppId: string, resource: string): string[] {
  const sp = tenant.servicePrincipalOf(clientAppId);
  return sp?.appRoleGrants.filter((g) => g.resource === resource).flatMap((g) => g.roles) ?? [];
}
