// Every Azure role assignment Vigil needs, and nothing broader: each at the scope of one resource.
// The role definition ids are Azure built-in roles, checked by name in test/infra/roleDefinitions.test.ts
// against https://learn.microsoft.com/azure/role-based-access-control/built-in-roles.

@description('Principal (object) id of Vigil\'s managed identity.')
param principalId string
param storageAccountName string
param keyVaultName string
param applicationInsightsName string
@description('Object id of a person or group who may add token connections to the vault. Empty: nobody.')
param operatorPrincipalId string = ''

var roleIds = {
  'Key Vault Secrets Officer': 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  'Storage Queue Data Contributor': '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  'Storage Table Data Contributor': '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  'Monitoring Metrics Publisher': '3913510d-42f4-4e42-8a64-420c390055eb'
}

// Host storage: blobs for the deployment package and timer locks (the role the Functions docs and the
// quickstart give the host), queues for Vigil's work items, tables for its state and event log.
var storageRoles = ['Storage Blob Data Owner', 'Storage Queue Data Contributor', 'Storage Table Data Contributor']

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource insights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource storageAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in storageRoles: {
    name: guid(storage.id, principalId, roleIds[role])
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds[role])
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

// Read and write secrets (refresh tokens rotate, so Vigil writes them back); no key, certificate or
// access-management rights.
resource secretsAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, roleIds['Key Vault Secrets Officer'])
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds['Key Vault Secrets Officer'])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Application Insights accepts only Entra-authenticated telemetry (local auth is off).
resource telemetryAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, principalId, roleIds['Monitoring Metrics Publisher'])
  scope: insights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds['Monitoring Metrics Publisher'])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource operatorSecretsAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  name: guid(vault.id, operatorPrincipalId, roleIds['Key Vault Secrets Officer'])
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds['Key Vault Secrets Officer'])
    principalId: operatorPrincipalId
  }
}
