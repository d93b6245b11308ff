import type { CloudStore } from '../state/CloudStore.js';
import type { UserRecord } from '../state/model.js';
import type { TenantDirectory } from '../state/TenantDirectory.js';
import { toApplicationResource } from './toApplicationResource.js';
import type { Resource } from './toCredentialResources.js';
import { toServicePrincipalResource } from './toServicePrincipalResource.js';

export type { Resource } from './toCredentialResources.js';

export function toUserResource(user: UserRecord): Resource {
  return {
    '@odata.type': '#microsoft.graph.user',
    id: user.id,
    businessPhones: [],
    displayName: user.displayName,
    givenName: null,
    jobTitle: null,
    mail: user.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: null,
    userPrincipalName: user.userPrincipalName,
  };
}

/**
 * An owner as a `directoryObject`. Owners in Entra are users or service principals; the seed may record
 * the owning app's application object id, which Graph would show as that app's service principal.
 */
export function toOwnerResource(store: CloudStore, tenant: TenantDirectory, ownerId: string): Resource | undefined {
  const user = tenant.user(ownerId);
  if (user) return toUserResource(user);
  const app = tenant.applications.find({ by: 'id', value: ownerId });
  const sp = tenant.servicePrincipals.find({ by: 'id', value: ownerId }) ?? (app && tenant.servicePrincipalOf(app.appId));
  if (sp) return { '@odata.type': '#microsoft.graph.servicePrincipal', ...toServicePrincipalResource(sp, store) };
  return app ? { '@odata.type': '#microsoft.graph.application', ...toApplicationResource(app, tenant.record) } : undefined;
}
