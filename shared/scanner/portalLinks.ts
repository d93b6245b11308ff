/**
 * Portal pages where a person fixes a credential, in the tenant's cloud (`portal.azure.com`, `.us`, `.cn`).
 * Blade paths as the Entra admin pages use them (learn.microsoft.com/entra/identity-platform/howto-create-service-principal-portal).
 */
export function appCredentialsLink(portal: string, appId: string): string {
  return `${portal}/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Credentials/appId/${appId}`;
}

export function servicePrincipalCredentialsLink(portal: string, objectId: string, appId: string): string {
  return `${portal}/#view/Microsoft_AAD_IAM/ManagedAppMenuBlade/~/Credentials/objectId/${objectId}/appId/${appId}`;
}

/** A vault secret's page; the `@tenant` prefix makes the portal open the right directory. */
export function vaultSecretLink(portal: string, tenantId: string, vaultUrl: string, secretName: string): string {
  return `${portal}/#@${tenantId}/asset/Microsoft_Azure_KeyVault/Secret/${vaultUrl.replace(/\/+$/, '')}/secrets/${secretName}`;
}
