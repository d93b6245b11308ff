/**
 * The Azure RBAC data action and resource a Key Vault request is authorized against, as named in
 * `ForbiddenByRbac` messages (data actions of the "Key Vault Secrets Officer" role:
 * https://learn.microsoft.com/azure/role-based-access-control/permissions/security#microsoftkeyvault).
 */
const secretsActions = 'Microsoft.KeyVault/vaults/secrets';

/** A placeholder subscription and resource group: the local cloud has no Resource Manager. */
const vaultResourcePrefix = '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/local/providers/microsoft.keyvault/vaults';

export function toRbacAction(method: string, pathname: string, vaultName: string): { action: string; resource: string } {
  const [collection, name, rest] = pathname.split('/').filter(Boolean);
  const vaultResource = `${vaultResourcePrefix}/${vaultName.toLowerCase()}`;
  const resource = name && name !== 'restore' ? `${vaultResource}/secrets/${name}` : vaultResource;
  return { action: `${secretsActions}/${actionName(method.toUpperCase(), collection, name, rest)}`, resource };
}

function actionName(method: string, collection: string | undefined, name: string | undefined, rest: string | undefined): string {
  if (collection === 'deletedsecrets') {
    if (method === 'DELETE') return 'purge/action';
    if (method === 'POST') return 'recover/action';
    return 'readMetadata/action';
  }
  if (!name || rest === 'versions') return 'readMetadata/action';
  switch (method) {
    case 'PUT':
      return 'setSecret/action';
    case 'PATCH':
      return 'update/action';
    case 'DELETE':
      return 'delete';
    case 'POST':
      return name === 'restore' ? 'restore/action' : 'backup/action';
    default:
      return 'getSecret/action';
  }
}
