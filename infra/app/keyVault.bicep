// Vigil's Key Vault: Azure RBAC only (no access policies), soft delete, optional purge protection.
// Token connections and secret settings live here; Vigil's identity gets Key Vault Secrets Officer on
// this vault alone (rbac.bicep).

param name string
param location string
param tags object = {}
@description('Once on it cannot be turned off.')
param enablePurgeProtection bool = true

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // The API rejects false once enabled; null leaves it off.
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
output resourceId string = vault.id
