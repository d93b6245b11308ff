/**
 * Whether an Azure SDK response means Vigil's own identity was refused, and by which service. `sdk` is
 * what names the SDK that sent the request: its `az.namespace` (`Microsoft.KeyVault`), or, since a paged
 * listing's requests carry no namespace, its user agent (`azsdk-js-keyvault-secrets/4.11.2 …`).
 *
 * Every Key Vault and Storage call Vigil makes is made as itself. Key Vault's 401 is not counted: the
 * SDK's first request to a vault is sent without a token on purpose and answered 401 with the challenge
 * that says where to get one; a vault that refuses Vigil's role answers 403 (ForbiddenByRbac).
 */
export function toDeniedService(sdk: string, status: number): 'keyVault' | 'storage' | undefined {
  // Checked before the names: it runs on every response, and all but a refused one stop here.
  if (status !== 401 && status !== 403) return undefined;
  if (/Microsoft\.KeyVault|azsdk-js-keyvault/.test(sdk)) return status === 403 ? 'keyVault' : undefined;
  if (/Microsoft\.(Storage|Data\.Tables)|azsdk-js-(storage|data-tables)/.test(sdk)) return 'storage';
  return undefined;
}
