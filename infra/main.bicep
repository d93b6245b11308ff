targetScope = 'subscription'

// Vigil in one resource group: a Flex Consumption Function App running as a user-assigned managed
// identity, its storage (identity-based, no shared keys), a Key Vault (RBAC), and Application Insights on
// Log Analytics. `azd up` deploys it; docs/deploy.md explains every parameter and the steps after it.
// Layout follows Azure-Samples/functions-quickstart-typescript-azd.

@minLength(1)
@maxLength(64)
@description('azd environment name; it names the resource group and seeds every resource name.')
param environmentName string

@minLength(1)
@description('Region of every resource. Flex Consumption runs in a subset of regions: az functionapp list-flexconsumption-locations.')
@metadata({ azd: { type: 'location' } })
param location string

// ---- Names: leave empty to derive one from the environment name. ----
param resourceGroupName string = ''
param functionAppName string = ''
param planName string = ''
param identityName string = ''
param storageAccountName string = ''
param keyVaultName string = ''
param logAnalyticsName string = ''
param applicationInsightsName string = ''

// ---- Hosting ----
@description('Node.js major version on Flex Consumption. Node 20 reached end of life on 2026-04-30, so only 22 is offered.')
@allowed(['22'])
param nodeVersion string = '22'

@description('Most instances Flex Consumption may scale out to. Vigil is timer-driven and light; a low cap also bounds Graph throttling.')
param maximumInstanceCount int = 40

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Days Log Analytics keeps logs and metrics.')
param logRetentionInDays int = 30

// ---- Alerts that do not depend on Vigil (infra/app/alerts.bicep, docs/deploy.md) ----
@description('Email addresses the Azure Monitor alerts go to: Vigil stopped, its identity refused, poison queues, failing executions.')
param alertEmails array = []

@description('Hours without a completed scan or refresh-planner run before the "no run completed" alert fires.')
@minValue(2)
@maxValue(47)
param noRunAlertHours int = 26

@description('Failed function executions (or HTTP requests failing unexpectedly) within an hour before the "executions failing" (or "requests failing unexpectedly") alert fires.')
@minValue(1)
param failedExecutionsPerHour int = 3

// ---- Vigil settings: schedules, thresholds, sources (the README settings table says what each does). ----
@description('VIGIL_CLOUD: Vigil\'s home cloud. Empty: derived from the Azure cloud this is deployed to.')
@allowed(['', 'global', 'usgov', 'usgovdod', 'china'])
param vigilCloud string = ''

@description('VIGIL_KEY_VAULT_URLS: comma-separated URLs of further Key Vaults Vigil watches, besides the one deployed here. Grant the identity Key Vault Secrets Officer on each (docs/deploy.md).')
param additionalKeyVaultUrls string = ''

@description('VIGIL_INVENTORY_SCHEDULE: NCRONTAB (UTC) of the inventory run that lists what Vigil can see.')
param inventorySchedule string = '0 0 6 * * *'

@description('VIGIL_API_AUDIENCE: Comma-separated audiences accepted in access tokens for Vigil\'s API: its Application ID URI and/or client id.')
param apiAudience string = 'api://vigil'

@description('VIGIL_API_ALLOWED_TENANTS: Comma-separated tenant ids whose tokens Vigil accepts; default: VIGIL_TENANT_ID only.')
param apiAllowedTenants string = ''

@description('VIGIL_TRUST_PLATFORM_AUTH: true only when App Service Authentication runs in front of the app: then x-ms-client-principal headers are trusted.')
param trustPlatformAuth bool = false

@description('VIGIL_ROTATION_SCHEDULE: NCRONTAB (UTC) of the rotation timer: retirements after the grace period, policy-driven rotations, resuming interrupted ones.')
param rotationSchedule string = '0 */15 * * * *'

@description('VIGIL_ROTATION_LIFETIME_DAYS: Lifetime of a new client secret when the request names none (at most 730).')
@minValue(1)
@maxValue(730)
param rotationLifetimeDays int = 180

@description('VIGIL_ROTATION_GRACE_HOURS: Hours the old secret lives on after a rotation, or never.')
param rotationGraceHours string = '168'

// The JSON settings are typed (array/object) parameters: azd parses their azd variable as JSON instead
// of pasting its text into the parameter file, where the quotes would break it (docs/deploy.md).
@description('VIGIL_ROTATION_RULES: JSON array of opt-in rules for policy-driven rotation: [{appId, vaultSecretName, withinDays, lifetimeDays?, retireOldAfterHours?, vaultUrl?}].')
param rotationRules array?

@description('VIGIL_TENANTS: JSON array of the tenants the expiry scanner watches: tenantId, displayName, cloud, auth ({"kind":"managedIdentity"} in the home tenant; {"kind":"clientSecret" or "certificate","clientId","keyVaultSecretName"} elsewhere) and routing…')
param tenants array?

@description('VIGIL_SCAN_SCHEDULE: NCRONTAB (UTC) of the expiry scan planner, which queues one scan per tenant.')
param scanSchedule string = '0 0 * * * *'

@description('VIGIL_EXPIRY_THRESHOLDS_DAYS: Comma-separated days before expiry at which a credential is reported (the ladder); expired is always reported.')
param expiryThresholdsDays string = '60,30,14,7,3,1'

@description('VIGIL_STALE_AFTER_DAYS: Days after expiry when a credential that a newer one replaced is reported once as stale, to be removed.')
@minValue(1)
@maxValue(3650)
param staleAfterDays int = 30

@description('VIGIL_UNUSED_AFTER_DAYS: Days without a sign-in (Entra usage report) after which a credential counts as unused: an expiring one is advised to lapse, not be rotated, at low severity.')
@minValue(1)
@maxValue(365)
param unusedAfterDays int = 30

@description('VIGIL_SECRET_MAX_LIFETIME_DAYS: Longest lifetime of a client secret before it is reported as hygiene (the CISA SCuBA baseline: 180 days).')
@minValue(1)
@maxValue(3650)
param secretMaxLifetimeDays int = 180

@description('VIGIL_FULL_SCAN_EVERY_HOURS: Hours between full scans of a tenant; the scans between read only what changed (delta query).')
@minValue(1)
@maxValue(168)
param fullScanEveryHours int = 24

@description('VIGIL_REFRESH_SCHEDULE: NCRONTAB (UTC) of the refresh planner, which queues the token connections that are due.')
param refreshSchedule string = '0 0 * * * *'

@description('VIGIL_REFRESH_PROBE_HOURS: Hours between two probes of a healthy token connection (at most 24, so a revocation is found within a day).')
@minValue(1)
@maxValue(24)
param refreshProbeHours int = 24

@description('VIGIL_REFRESH_WRITE_BACK_DAYS: Write a rotated refresh token back to Key Vault only when the stored version is at least this many days old.')
@minValue(1)
@maxValue(60)
param refreshWriteBackDays int = 7

@description('VIGIL_REFRESH_LEASE_SECONDS: How long one refresh holds its lease on a connection; a crashed holder loses it after this.')
@minValue(30)
@maxValue(3600)
param refreshLeaseSeconds int = 300

@description('VIGIL_TRANSIENT_ALERT_ATTEMPTS: Consecutive transient failures (of a token refresh, or of listing a vault) before an alert…')
@minValue(1)
@maxValue(100)
param transientAlertAttempts int = 3

@description('VIGIL_TRANSIENT_ALERT_HOURS: …and the least number of hours those failures must span.')
param transientAlertHours string = '6'

@description('VIGIL_ROUTES: JSON: notification routes (mail recipients, Teams channels and webhook endpoints by Key Vault secret name), the rules mapping events to them, and the default route; see docs/notifications.md.')
param routes object?

@description('VIGIL_MAIL_SENDER: Mailbox (UPN) the mail digests are sent from with Graph sendMail (Mail.Send, best scoped to this mailbox with Exchange RBAC for Applications).')
param mailSender string = ''

@description('VIGIL_NOTIFICATION_VAULT_URL: Key Vault holding the Teams Workflow URLs and webhook signing keys the routes name.')
param notificationVaultUrl string = ''

@description('VIGIL_RUNBOOK_URL: The credential rotation runbook, linked from every mail item and Teams card.')
param runbookUrl string = ''

@description('VIGIL_PUBLIC_BASE_URL: Vigil\'s public base URL (https://<function app host>) for sign-in links, the redirect URI <base>/api/signed-in, and notifications\' links to the status page. Empty: no sign-in links, portal links only.')
param publicBaseUrl string = ''

@description('VIGIL_SIGN_IN_LINK_DAYS: Days a sign-in link (connect or reconnect) stays usable.')
param signInLinkDays int = 7

@description('VIGIL_NOTIFY_TIME_ZONE: Time zone dates are shown in, in mail and Teams.')
param notifyTimeZone string = 'UTC'

@description('VIGIL_REMINDER_SCHEDULE: NCRONTAB (UTC) of the reminder timer, which walks the open findings and sends the reminders due. Keep it daily.')
param reminderSchedule string = '0 30 6 * * *'

@description('VIGIL_REMINDER_WITHIN_DAYS: A credential that is still valid is reminded of daily once this many days or fewer remain.')
@minValue(0)
@maxValue(3650)
param reminderWithinDays int = 7

@description('VIGIL_REMINDERS_AFTER_LAPSE: After a lapse or a failure, reminders come 1, 3 and 7 days later and then weekly, at most this many.')
@minValue(1)
@maxValue(60)
param remindersAfterLapse int = 6

@description('VIGIL_DIGEST_WINDOW_SECONDS: What one route must hear within this many seconds goes out as one mail and one Teams card per channel; 0 sends each run at once.')
@minValue(0)
@maxValue(3600)
param digestWindowSeconds int = 300

@description('VIGIL_SNOOZE_MAX_DAYS: Longest snooze a person may set on a finding, in days (at most 90).')
@minValue(1)
@maxValue(90)
param snoozeMaxDays int = 90

@description('VIGIL_SNOOZE_EXPIRY_MARGIN_DAYS: Days a snooze may outlast the expiry of the credential it silences.')
@minValue(0)
@maxValue(90)
param snoozeExpiryMarginDays int = 7

@description('VIGIL_DELIVERY_DEADLINE_HOURS: Hours a notice about a problem is retried before it is parked in vigil-outbox-poison.')
@minValue(1)
@maxValue(168)
param deliveryDeadlineHours int = 24

@description('VIGIL_DELIVERY_INFO_DEADLINE_HOURS: Hours a purely informational notice (records, recoveries) is retried.')
@minValue(1)
@maxValue(168)
param deliveryInfoDeadlineHours int = 6

@description('VIGIL_DELIVERY_FALLBACK_MINUTES: Minutes a channel may keep failing one notice before its items also go to the default route.')
@minValue(1)
@maxValue(1440)
param deliveryFallbackMinutes int = 30

@description('VIGIL_DELIVERY_TIMEOUT_SECONDS: Seconds one delivery may take before it counts as timed out and is retried.')
@minValue(1)
@maxValue(30)
param deliveryTimeoutSeconds int = 15

@description('VIGIL_DELIVERY_BACKOFF_SECONDS: First retry delay of a failed delivery; doubled per attempt with jitter, up to an hour.')
@minValue(1)
@maxValue(3600)
param deliveryBackoffSeconds int = 30

@description('VIGIL_DIGEST_SCHEDULE: NCRONTAB (UTC) of the daily digest, sent for routes whose schedule is "daily".')
param digestSchedule string = '0 0 7 * * *'

@description('VIGIL_POISON_WATCH_SCHEDULE: NCRONTAB (UTC) of the watcher that reports messages parked in Vigil\'s poison queues.')
param poisonWatchSchedule string = '0 */15 * * * *'

// ---- Access ----
@description('Object id of a person or group who may add token connections to Vigil\'s Key Vault (Key Vault Secrets Officer on that vault only). Empty: nobody.')
param operatorPrincipalId string = ''

@description('Grant Vigil\'s Microsoft Graph app roles with the Microsoft Graph Bicep extension. The deployer must be allowed to grant app roles (Privileged Role Administrator or Global Administrator); otherwise leave false and run infra/scripts/grant-graph-permissions.sh.')
param grantGraphPermissions bool = false

@description('Also grant Application.ReadWrite.OwnedBy, for on-demand rotation of the apps Vigil owns.')
param enableRotation bool = true

@description('Key Vault purge protection. Once on it cannot be turned off, and a deleted vault\'s name stays taken for 90 days.')
param enablePurgeProtection bool = true

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName, application: 'vigil' }
var appName = !empty(functionAppName) ? functionAppName : 'func-vigil-${resourceToken}'
var deploymentContainerName = 'app-package-${take(appName, 32)}-${take(toLower(uniqueString(appName, resourceToken)), 7)}'
var cloudByEnvironment = { AzureCloud: 'global', AzureUSGovernment: 'usgov', AzureChinaCloud: 'china' }
var derivedCloud = contains(cloudByEnvironment, environment().name) ? cloudByEnvironment[environment().name] : 'global'

resource rg 'Microsoft.Resources/resourceGroups@2021-04-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  location: location
  tags: tags
}

// Vigil's one identity: host storage, Key Vault, Graph and Application Insights all use it.
module identity 'br/public:avm/res/managed-identity/user-assigned-identity:0.4.1' = {
  name: 'identity'
  scope: rg
  params: {
    name: !empty(identityName) ? identityName : 'id-vigil-${resourceToken}'
    location: location
    tags: tags
  }
}

module plan 'br/public:avm/res/web/serverfarm:0.1.1' = {
  name: 'plan'
  scope: rg
  params: {
    name: !empty(planName) ? planName : 'plan-vigil-${resourceToken}'
    sku: {
      name: 'FC1'
      tier: 'FlexConsumption'
    }
    reserved: true
    location: location
    tags: tags
  }
}

module storage 'br/public:avm/res/storage/storage-account:0.8.3' = {
  name: 'storage'
  scope: rg
  params: {
    name: !empty(storageAccountName) ? storageAccountName : 'stvigil${resourceToken}'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false // identity-based connections only
    dnsEndpointType: 'Standard'
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
    blobServices: {
      containers: [{ name: deploymentContainerName }]
    }
    minimumTlsVersion: 'TLS1_2'
    location: location
    tags: tags
  }
}

module keyVault 'app/keyVault.bicep' = {
  name: 'keyVault'
  scope: rg
  params: {
    name: !empty(keyVaultName) ? keyVaultName : 'kv-vigil-${take(resourceToken, 13)}'
    location: location
    tags: tags
    enablePurgeProtection: enablePurgeProtection
  }
}

module logAnalytics 'br/public:avm/res/operational-insights/workspace:0.11.1' = {
  name: 'logAnalytics'
  scope: rg
  params: {
    name: !empty(logAnalyticsName) ? logAnalyticsName : 'log-vigil-${resourceToken}'
    location: location
    tags: tags
    dataRetention: logRetentionInDays
  }
}

module monitoring 'br/public:avm/res/insights/component:0.6.0' = {
  name: 'monitoring'
  scope: rg
  params: {
    name: !empty(applicationInsightsName) ? applicationInsightsName : 'appi-vigil-${resourceToken}'
    location: location
    tags: tags
    workspaceResourceId: logAnalytics.outputs.resourceId
    disableLocalAuth: true // ingestion only with Entra tokens: APPLICATIONINSIGHTS_AUTHENTICATION_STRING
    samplingPercentage: 100 // no ingestion sampling: every run, refusal and failure counts for the alerts
  }
}

module alerts 'app/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    location: location
    tags: tags
    applicationInsightsId: monitoring.outputs.resourceId
    namePrefix: 'vigil-${resourceToken}'
    alertEmails: alertEmails
    noRunAlertHours: noRunAlertHours
    failedExecutionsPerHour: failedExecutionsPerHour
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.name
    operatorPrincipalId: operatorPrincipalId
  }
}

module appSettings 'app/appSettings.bicep' = {
  name: 'appSettings'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    identityClientId: identity.outputs.clientId
    keyVaultUri: keyVault.outputs.uri
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    vigilCloud: !empty(vigilCloud) ? vigilCloud : derivedCloud
    tenantId: tenant().tenantId
    additionalKeyVaultUrls: additionalKeyVaultUrls
    inventorySchedule: inventorySchedule
    apiAudience: apiAudience
    apiAllowedTenants: apiAllowedTenants
    trustPlatformAuth: trustPlatformAuth
    rotationSchedule: rotationSchedule
    rotationLifetimeDays: rotationLifetimeDays
    rotationGraceHours: rotationGraceHours
    rotationRules: rotationRules
    tenants: tenants
    scanSchedule: scanSchedule
    expiryThresholdsDays: expiryThresholdsDays
    staleAfterDays: staleAfterDays
    unusedAfterDays: unusedAfterDays
    secretMaxLifetimeDays: secretMaxLifetimeDays
    fullScanEveryHours: fullScanEveryHours
    refreshSchedule: refreshSchedule
    refreshProbeHours: refreshProbeHours
    refreshWriteBackDays: refreshWriteBackDays
    refreshLeaseSeconds: refreshLeaseSeconds
    transientAlertAttempts: transientAlertAttempts
    transientAlertHours: transientAlertHours
    routes: routes
    mailSender: mailSender
    notificationVaultUrl: notificationVaultUrl
    runbookUrl: runbookUrl
    publicBaseUrl: publicBaseUrl
    signInLinkDays: signInLinkDays
    notifyTimeZone: notifyTimeZone
    reminderSchedule: reminderSchedule
    reminderWithinDays: reminderWithinDays
    remindersAfterLapse: remindersAfterLapse
    digestWindowSeconds: digestWindowSeconds
    snoozeMaxDays: snoozeMaxDays
    snoozeExpiryMarginDays: snoozeExpiryMarginDays
    deliveryDeadlineHours: deliveryDeadlineHours
    deliveryInfoDeadlineHours: deliveryInfoDeadlineHours
    deliveryFallbackMinutes: deliveryFallbackMinutes
    deliveryTimeoutSeconds: deliveryTimeoutSeconds
    deliveryBackoffSeconds: deliveryBackoffSeconds
    digestSchedule: digestSchedule
    poisonWatchSchedule: poisonWatchSchedule
  }
}

module functionApp 'app/functionApp.bicep' = {
  name: 'functionApp'
  scope: rg
  params: {
    name: appName
    location: location
    tags: tags
    planId: plan.outputs.resourceId
    identityResourceId: identity.outputs.resourceId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    nodeVersion: nodeVersion
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    appSettings: appSettings.outputs.values
  }
  // Start the host only once its identity can reach storage, Key Vault and Application Insights.
  dependsOn: [rbac]
}

// Needs the Microsoft Graph Bicep extension (infra/bicepconfig.json) and a deployer who may grant app roles.
module graphPermissions 'graph/graphPermissions.bicep' = if (grantGraphPermissions) {
  name: 'graphPermissions'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    enableRotation: enableRotation
  }
}

// azd stores these in the environment (azd env get-values); the scripts in infra/scripts read them.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_URI string = keyVault.outputs.uri
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output VIGIL_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output VIGIL_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output VIGIL_ENABLE_ROTATION bool = enableRotation
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.connectionString
output VIGIL_ALERT_RULES array = alerts.outputs.ruleNames
