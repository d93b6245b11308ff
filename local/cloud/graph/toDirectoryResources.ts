import type { CloudStore } from '../state/CloudStore.js';
import type {
  ApplicationRecord,
  KeyCredentialRecord,
  PasswordCredentialRecord,
  ServicePrincipalRecord,
  TenantRecord,
  UserRecord,
} from '../state/model.js';

export type Resource = Record<string, unknown>;

/** Graph never returns a secret after addPassword: `secretText` is null and the hash stays inside the emulator. */
export function toPasswordCredentialResource(c: PasswordCredentialRecord): Resource {
  return {
    customKeyIdentifier: null,
    displayName: c.displayName,
    endDateTime: c.endDateTime,
    hint: c.hint,
    keyId: c.keyId,
    secretText: null,
    startDateTime: c.startDateTime,
  };
}

/** `key` is non-null only when one object is read with `$select=keyCredentials` (Graph keyCredential docs). */
export function toKeyCredentialResource(c: KeyCredentialRecord, includeKey: boolean): Resource {
  return {
    customKeyIdentifier: c.customKeyIdentifier,
    displayName: c.displayName,
    endDateTime: c.endDateTime,
    key: includeKey ? c.key : null,
    keyId: c.keyId,
    startDateTime: c.startDateTime,
    type: c.type,
    usage: c.usage,
  };
}

export function toApplicationResource(app: ApplicationRecord, tenant: TenantRecord, includeKeys = false): Resource {
  return {
    id: app.id,
    deletedDateTime: null,
    appId: app.appId,
    applicationTemplateId: null,
    createdDateTime: app.createdDateTime,
    description: null,
    disabledByMicrosoftStatus: app.disabled ? 'DisabledDueToViolationOfServicesAgreement' : null,
    displayName: app.displayName,
    identifierUris: app.identifierUris,
    publisherDomain: tenant.defaultDomain,
    signInAudience: 'AzureADMyOrg',
    tags: [],
    appRoles: app.appRoles.map((r) => ({
      allowedMemberTypes: ['Application'],
      description: r.displayName,
      displayName: r.displayName,
      id: r.id,
      isEnabled: true,
      origin: 'Application',
      value: r.value,
    })),
    keyCredentials: app.keyCredentials.map((c) => toKeyCredentialResource(c, includeKeys)),
    passwordCredentials: app.passwordCredentials.map(toPasswordCredentialResource),
    web: { homePageUrl: null, logoutUrl: null, redirectUris: app.webRedirectUris ?? [] },
  };
}

export function toServicePrincipalResource(sp: ServicePrincipalRecord, store: CloudStore, includeKeys = false): Resource {
  const app = store.application(sp.appId)?.app;
  return {
    id: sp.id,
    deletedDateTime: null,
    accountEnabled: sp.accountEnabled,
    appDisplayName: app?.displayName ?? sp.displayName,
    appId: sp.appId,
    appOwnerOrganizationId: sp.appOwnerOrganizationId,
    appRoleAssignmentRequired: false,
    displayName: sp.displayName,
    preferredSingleSignOnMode: sp.preferredSingleSignOnMode,
    preferredTokenSigningKeyEndDateTime: sp.preferredTokenSigningKeyEndDateTime,
    servicePrincipalNames: [sp.appId, ...(app?.identifierUris ?? [])],
    servicePrincipalType: sp.servicePrincipalType,
    signInAudience: 'AzureADMyOrg',
    tags: [],
    keyCredentials: sp.keyCredentials.map((c) => toKeyCredentialResource(c, includeKeys)),
    passwordCredentials: sp.passwordCredentials.map(toPasswordCredentialResource),
  };
}

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
export function toOwnerResource(store: CloudStore, tenant: TenantRecord, ownerId: string): Resource | undefined {
  const user = tenant.users.find((u) => u.id === ownerId);
  if (user) return toUserResource(user);
  const app = tenant.applications.find((a) => a.id === ownerId && !a.deleted);
  const sp = tenant.servicePrincipals.find((s) => s.id === ownerId) ?? (app && store.servicePrincipal(tenant, app.appId));
  if (sp) return { '@odata.type': '#microsoft.graph.servicePrincipal', ...toServicePrincipalResource(sp, store) };
  return app ? { '@odata.type': '#microsoft.graph.application', ...toApplicationResource(app, tenant) } : undefined;
}

/** Keeps `id` and the selected properties, in the order asked for; without `$select`, the whole default set. */
export function selectProperties(resource: Resource, select: readonly string[] | undefined): Resource {
  if (!select) return resource;
  const picked: Resource = { id: resource['id'] };
  for (const name of select) picked[name] = resource[name];
  return picked;
}
