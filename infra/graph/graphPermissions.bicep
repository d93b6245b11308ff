extension microsoftGraphV1

// Microsoft Graph application permissions (app roles) for Vigil's managed identity, with the Microsoft
// Graph Bicep extension (alias in infra/bicepconfig.json; Bicep 0.36.1 or later). Deploying this needs a
// deployer who may grant app roles (AppRoleAssignment.ReadWrite.All and Application.Read.All, in practice
// Privileged Role Administrator); infra/scripts/grant-graph-permissions.sh does the same with the Azure CLI.
//
// Mail.Send is deliberately NOT granted here: Vigil sends mail through Exchange Online RBAC for
// Applications, scoped to one mailbox. A tenant-wide Mail.Send grant in Entra ID would add to that scope
// and void it (docs/deploy.md, "Mail").
//
// Kept in its own file: the `extension` keyword is newer than the tree-sitter grammar the tests parse with.

@description('Principal (object) id of Vigil\'s managed identity.')
param principalId string

@description('Also grant Application.ReadWrite.OwnedBy: rotation of the apps Vigil is an owner of.')
param enableRotation bool = true

// Microsoft Graph's application id, the same in every tenant.
var graphAppId = '00000003-0000-0000-c000-000000000000'

// Graph app role ids by permission name, checked in test/infra/roleDefinitions.test.ts against
// https://learn.microsoft.com/graph/permissions-reference.
var graphAppRoleIds = {
  'Application.Read.All': '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30'
  'Application.ReadWrite.OwnedBy': '18a4783c-866b-4cc7-a460-3d5e5662c884'
  'AuditLog.Read.All': 'b0afded3-3588-46d8-8b3d-9842eff778da'
  'Policy.Read.All': '246dd0d5-5bd0-4def-940b-0421030a5b68'
}

// Reading: the directory, Entra's credential usage report (last sign-in of each credential) and the app
// management policies (Graph offers no narrower application permission for them than Policy.Read.All).
var reading = ['Application.Read.All', 'AuditLog.Read.All', 'Policy.Read.All']
var granted = enableRotation ? concat(reading, ['Application.ReadWrite.OwnedBy']) : reading

resource graph 'Microsoft.Graph/servicePrincipals@v1.0' existing = {
  appId: graphAppId
}

resource grants 'Microsoft.Graph/appRoleAssignedTo@v1.0' = [
  for permission in granted: {
    principalId: principalId
    resourceId: graph.id
    appRoleId: graphAppRoleIds[permission]
  }
]

output grantedPermissions array = granted
