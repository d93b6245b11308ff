// Every app setting of the Function App, in one place.
//
// Adding a Vigil setting: add it to shared/settings/settingsSchema.ts, local.settings.sample.json and the
// README table, then here: a param (with its default) below, an entry in `vigilSettings`, and the same
// param in infra/main.bicep, passed through in its `appSettings` module. test/infra/settingsCrossCheck.test.ts
// names whatever is missing. A secret setting (one the schema checks with `secretText`) takes the *name*
// of a Key Vault secret and becomes a Key Vault reference; an empty name leaves the setting empty, which
// Vigil reads as unset. Settings the schema marks local-only (VIGIL_CLIENT_SECRET, VIGIL_CLOUD_ENDPOINTS,
// FUNCTIONS_WORKER_RUNTIME, the AzureWebJobsStorage connection string) are never set in Azure.
// A JSON setting is a nullable array or object param written back as JSON with `string()`, or '' (unset)
// when null; azd parses its variable as JSON for such a param (docs/deploy.md, "JSON settings").

// ---- Derived from the deployment ----
param storageAccountName string
param identityClientId string
@description('URI of Vigil\'s own Key Vault, ending in "/".')
param keyVaultUri string
param applicationInsightsConnectionString string
param tenantId string

// ---- Vigil settings ----
@allowed(['global', 'usgov', 'usgovdod', 'china'])
param vigilCloud string = 'global'
param additionalKeyVaultUrls string = ''
param inventorySchedule string = '0 0 6 * * *'
param apiAudience string = 'api://vigil'
param apiAllowedTenants string = ''
param trustPlatformAuth bool = false
param rotationSchedule string = '0 */15 * * * *'
param rotationLifetimeDays int = 180
param rotationGraceHours string = '168'
param rotationRules array?
param tenants array?
param scanSchedule string = '0 0 * * * *'
param expiryThresholdsDays string = '60,30,14,7,3,1'
param staleAfterDays int = 30
param unusedAfterDays int = 30
param secretMaxLifetimeDays int = 180
param fullScanEveryHours int = 24
param refreshSchedule string = '0 0 * * * *'
param refreshProbeHours int = 24
param refreshWriteBackDays int = 7
param refreshLeaseSeconds int = 300
param transientAlertAttempts int = 3
param transientAlertHours string = '6'
param routes object?
param mailSender string = ''
param notificationVaultUrl string = ''
param runbookUrl string = ''
param notifyTimeZone string = 'UTC'
param reminderSchedule string = '0 30 6 * * *'
param reminderWithinDays int = 7
param remindersAfterLapse int = 6
param digestWindowSeconds int = 300
param snoozeMaxDays int = 90
param snoozeExpiryMarginDays int = 7
param publicBaseUrl string = ''
param signInLinkDays int = 7
param deliveryDeadlineHours int = 24
param deliveryInfoDeadlineHours int = 6
param deliveryFallbackMinutes int = 30
param deliveryTimeoutSeconds int = 15
param deliveryBackoffSeconds int = 30
param digestSchedule string = '0 0 7 * * *'
param poisonWatchSchedule string = '0 */15 * * * *'

// A secret setting is a versionless Key Vault reference, or '' when no secret name is given:
//   VIGIL_EXAMPLE_KEY: empty(exampleKeySecretName) ? '' : '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/${exampleKeySecretName})'
// Versionless, so a new version is picked up (App Service caches references up to 24 h). An unresolved
// reference reaches Vigil as the literal '@Microsoft.KeyVault(...', and start-up stops naming the setting.

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

// Read by the Functions host, not by Vigil's code (listed as host-level in the cross-check test).
// Service URIs rather than only the account name, so the host finds storage in national clouds too.
var hostSettings = {
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
  AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  // Application Insights has local authentication off: the host sends telemetry with Vigil's identity.
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

// Read by Vigil (shared/settings/settingsSchema.ts).
var vigilSettings = {
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__clientId: identityClientId
  VIGIL_CLOUD: vigilCloud
  VIGIL_TENANT_ID: tenantId
  VIGIL_CLIENT_ID: identityClientId
  VIGIL_KEY_VAULT_URLS: empty(additionalKeyVaultUrls) ? keyVaultUri : '${keyVaultUri},${additionalKeyVaultUrls}'
  VIGIL_INVENTORY_SCHEDULE: inventorySchedule
  VIGIL_API_AUDIENCE: apiAudience
  VIGIL_API_ALLOWED_TENANTS: apiAllowedTenants
  VIGIL_TRUST_PLATFORM_AUTH: string(trustPlatformAuth)
  VIGIL_ROTATION_SCHEDULE: rotationSchedule
  VIGIL_ROTATION_LIFETIME_DAYS: string(rotationLifetimeDays)
  VIGIL_ROTATION_GRACE_HOURS: rotationGraceHours
  VIGIL_ROTATION_RULES: rotationRules == null ? '' : string(rotationRules)
  VIGIL_TENANTS: tenants == null ? '' : string(tenants)
  VIGIL_SCAN_SCHEDULE: scanSchedule
  VIGIL_EXPIRY_THRESHOLDS_DAYS: expiryThresholdsDays
  VIGIL_STALE_AFTER_DAYS: string(staleAfterDays)
  VIGIL_UNUSED_AFTER_DAYS: string(unusedAfterDays)
  VIGIL_SECRET_MAX_LIFETIME_DAYS: string(secretMaxLifetimeDays)
  VIGIL_FULL_SCAN_EVERY_HOURS: string(fullScanEveryHours)
  VIGIL_REFRESH_SCHEDULE: refreshSchedule
  VIGIL_REFRESH_PROBE_HOURS: string(refreshProbeHours)
  VIGIL_REFRESH_WRITE_BACK_DAYS: string(refreshWriteBackDays)
  VIGIL_REFRESH_LEASE_SECONDS: string(refreshLeaseSeconds)
  VIGIL_TRANSIENT_ALERT_ATTEMPTS: string(transientAlertAttempts)
  VIGIL_TRANSIENT_ALERT_HOURS: transientAlertHours
  VIGIL_ROUTES: routes == null ? '' : string(routes)
  VIGIL_MAIL_SENDER: mailSender
  VIGIL_NOTIFICATION_VAULT_URL: notificationVaultUrl
  VIGIL_RUNBOOK_URL: runbookUrl
  VIGIL_NOTIFY_TIME_ZONE: notifyTimeZone
  VIGIL_REMINDER_SCHEDULE: reminderSchedule
  VIGIL_REMINDER_WITHIN_DAYS: string(reminderWithinDays)
  VIGIL_REMINDERS_AFTER_LAPSE: string(remindersAfterLapse)
  VIGIL_DIGEST_WINDOW_SECONDS: string(digestWindowSeconds)
  VIGIL_SNOOZE_MAX_DAYS: string(snoozeMaxDays)
  VIGIL_SNOOZE_EXPIRY_MARGIN_DAYS: string(snoozeExpiryMarginDays)
  VIGIL_PUBLIC_BASE_URL: publicBaseUrl
  VIGIL_SIGN_IN_LINK_DAYS: string(signInLinkDays)
  VIGIL_DELIVERY_DEADLINE_HOURS: string(deliveryDeadlineHours)
  VIGIL_DELIVERY_INFO_DEADLINE_HOURS: string(deliveryInfoDeadlineHours)
  VIGIL_DELIVERY_FALLBACK_MINUTES: string(deliveryFallbackMinutes)
  VIGIL_DELIVERY_TIMEOUT_SECONDS: string(deliveryTimeoutSeconds)
  VIGIL_DELIVERY_BACKOFF_SECONDS: string(deliveryBackoffSeconds)
  VIGIL_DIGEST_SCHEDULE: digestSchedule
  VIGIL_POISON_WATCH_SCHEDULE: poisonWatchSchedule
}

output values object = union(hostSettings, vigilSettings)
