/**
 * Portal pages where a person fixes a credential, in the tenant's cloud (`portal.azure.com`, `.us`, `.cn`).
 * Every link names its tenant (`#@{tenant}/…`), so the portal opens that directory rather than the
 * signed-in person's home one: an MSP's operator follows a link into the customer's tenant.
 * Blade paths as the Entra admin pages use them (learn.microsoft.com/entra/identity-platform/howto-create-service-principal-portal).
 */
export function appCredentialsLink(portal: string, tenantId: string, appId: string): string {
  return `${inTenant(portal, tenantId)}/view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Credentials/appId/${appId}`;
}

export function servicePrincipalCredentialsLink(portal: string, tenantId: string, objectId: string, appId: string): string {
  return `${inTenant(portal, tenantId)}/view/Microsoft_AAD_IAM/ManagedAppMenuBlade/~/Credentials/objectId/${objectId}/appId/${appId}`;
}

/** The tenant's app registrations: where a link goes when an event names no page of its own. */
export function appRegistrationsLink(portal: string, tenantId: string): string {
  return `${inTenant(portal, tenantId)}/view/Microsoft_AAD_IAM/ActiveDirectoryMenuBlade/~/RegisteredApps`;
}

/** A vault secret's page, in the vault's tenant. */
export function vaultSecretLink(portal: string, tenantId: string, vaultUrl: string, secretName: string): string {
  return `${inTenant(portal, tenantId)}/asset/Microsoft_Azure_KeyVault/Secret/${vaultUrl.replace(/\/+$/, '')}/secrets/${secretName}`;
}

function inTenant(portal: string, tenantId: string): string {
  return `${portal}/#@${encodeURIComponent(tenantId)}`;
}
