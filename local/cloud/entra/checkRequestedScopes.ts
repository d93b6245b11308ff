import { resourceAudiences } from '../EmulatorContext.js';
import type { CloudStore } from '../state/CloudStore.js';
import type { CloudName } from '../state/model.js';
import type { TenantDirectory } from '../state/TenantDirectory.js';
import { resolveResource } from './resolveResource.js';
import type { EntraFailureSpec } from './tokenRequest.js';

/** Scopes about the sign-in itself, not a resource: never checked against a resource's permissions. */
export const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

/**
 * Delegated permissions Microsoft's mail-related resources publish (a subset: the ones mailbox integrations
 * ask for). A scope a scenario grants anywhere in the tenant counts as published too, so hand-written
 * scenarios need no entry here.
 */
const published: Record<string, readonly string[]> = {
  'https://outlook.office.com': outlookScopes(),
  'https://outlook.office365.com': outlookScopes(),
  graph: [
    ...outlookScopes(),
    'User.ReadBasic.All',
    'Files.Read',
    'Files.ReadWrite',
    'Files.ReadWrite.All',
    'Sites.Read.All',
    'Sites.ReadWrite.All',
    'Group.Read.All',
    'Directory.Read.All',
    'Chat.Read',
    'ChannelMessage.Send',
  ],
  keyVault: ['user_impersonation'],
};

function outlookScopes(): string[] {
  return [
    'IMAP.AccessAsUser.All',
    'POP.AccessAsUser.All',
    'SMTP.Send',
    'EWS.AccessAsUser.All',
    'EAS.AccessAsUser.All',
    'Mail.Read',
    'Mail.ReadBasic',
    'Mail.ReadWrite',
    'Mail.Send',
    'MailboxSettings.ReadWrite',
    'Calendars.Read',
    'Calendars.ReadWrite',
    'Contacts.Read',
    'Contacts.ReadWrite',
    'Tasks.ReadWrite',
    'User.Read',
  ];
}

/**
 * Checks the resource scopes of a delegated token request as Entra does before it looks at consent:
 * a resource it cannot find is `invalid_resource` AADSTS500011, a permission the resource does not
 * publish is `invalid_scope` AADSTS70011 (reference-error-codes: "a typo in the name of the scope").
 * Scopes without a resource (`Mail.Read`) are Microsoft Graph's. APIs registered in the directory
 * publish whatever is asked of them: the model keeps no delegated permission list for them.
 */
export function checkRequestedScopes(
  store: CloudStore,
  cloud: CloudName,
  tenant: TenantDirectory,
  scopes: readonly string[],
): EntraFailureSpec | undefined {
  const granted = tenant.grantedScopes();
  for (const scope of scopes) {
    if (OIDC_SCOPES.has(scope.toLowerCase())) continue;
    const slash = scope.lastIndexOf('/');
    const resource = slash < 0 ? resourceAudiences[cloud].graph : scope.slice(0, slash);
    const permission = scope.slice(slash + 1);
    const resolved = resolveResource(store, cloud, tenant, resource);
    if (typeof resolved !== 'string') return resolved;
    const catalogue = catalogueOf(cloud, resource);
    const known =
      permission === '.default' ||
      granted.has(scope.toLowerCase()) ||
      !catalogue ||
      catalogue.some((p) => p.toLowerCase() === permission.toLowerCase());
    if (!known) {
      return {
        error: 'invalid_scope',
        code: 70011,
        description: `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
      };
    }
  }
  return undefined;
}

function catalogueOf(cloud: CloudName, resource: string): readonly string[] | undefined {
  const audiences = resourceAudiences[cloud];
  if (resource === audiences.graph) return published['graph'];
  if (resource === audiences.keyVault) return published['keyVault'];
  return published[resource];
}
