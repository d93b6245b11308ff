import { IANAZone } from 'luxon';
import { z } from 'zod';
import { jsonSetting } from './jsonSetting.js';
import { cloudNames } from '../cloud/cloudEndpoints.js';
import { graceSchema, lifetimeLimits, rotationRulesSetting } from '../rotation/rotationRules.js';
import { routesSetting } from '../notifications/routesSetting.js';
import { tenantsSetting } from './tenantsSetting.js';

/** Key Vault references that App Service could not resolve stay in the environment as this literal. */
const UNRESOLVED_REFERENCE = '@Microsoft.KeyVault(';

const notUnresolvedReference = (value: string) => !value.startsWith(UNRESOLVED_REFERENCE);
const secretText = z
  .string()
  .min(1)
  .refine(notUnresolvedReference, 'is an unresolved Key Vault reference; check the app identity can read the secret');
const httpsUrl = z.url({ protocol: /^https$/ });
const ncrontab = z
  .string()
  .regex(
    /^\S+ \S+ \S+ \S+ \S+ \S+$/,
    'must be a 6-field NCRONTAB expression ({second} {minute} {hour} {day} {month} {day-of-week}), in UTC',
  );

/** `60,30,14,7,3,1`: distinct whole days, kept largest first. */
const expiryThresholds = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean)
      .map(Number),
  )
  .pipe(z.array(z.number().int().min(1).max(3650)).min(1, 'must list at least one number of days'))
  .transform((days) => [...new Set(days)].sort((a, b) => b - a));

const commaList = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1));

const endpointOverride = z.object({ login: httpsUrl, graph: httpsUrl });
const cloudEndpointOverrides = jsonSetting(
  z.partialRecord(z.enum(cloudNames), endpointOverride),
  '{"global":{"login":"https://…","graph":"https://…"}}',
);

/**
 * Every app setting Vigil reads, by its exact name. This is the one list: the loader, the sample file,
 * the Bicep app settings and the README table are checked against it by test.
 */
export const settingsSchema = z.object({
  FUNCTIONS_WORKER_RUNTIME: z
    .literal('node')
    .optional()
    .describe('Read by the Functions Core Tools locally; deprecated as an app setting on Flex Consumption, so not set in Azure.'),
  AzureWebJobsStorage: z
    .string()
    .min(1)
    .optional()
    .describe('Storage connection string (Azurite locally). Leave unset in Azure and use AzureWebJobsStorage__accountName.'),
  AzureWebJobsStorage__accountName: z
    .string()
    .regex(/^[a-z0-9]{3,24}$/)
    .optional()
    .describe('Storage account for identity-based access to queues and tables (Azure).'),
  AzureWebJobsStorage__clientId: z.uuid().optional().describe('Client id of the user-assigned identity used for storage (Azure).'),
  APPLICATIONINSIGHTS_CONNECTION_STRING: z
    .string()
    .regex(/InstrumentationKey=/, 'must be an Application Insights connection string (InstrumentationKey=…;IngestionEndpoint=…)')
    .optional()
    .describe(
      "Application Insights component Vigil's metrics, dependencies and structured logs go to (set by the deployment; the host uses it too).",
    ),
  VIGIL_CLOUD: z.enum(cloudNames).default('global').describe("Vigil's home cloud: global, usgov, usgovdod or china."),
  VIGIL_TENANT_ID: z.uuid().describe("Vigil's home tenant id."),
  VIGIL_CLIENT_ID: z
    .uuid()
    .optional()
    .describe("Client id of Vigil's identity: the user-assigned managed identity in Azure, or the app registration when a secret is used."),
  VIGIL_CLIENT_SECRET: secretText
    .optional()
    .describe('Client secret of the app registration; only where no managed identity exists (the local cloud). Never set it in Azure.'),
  VIGIL_CLOUD_ENDPOINTS: cloudEndpointOverrides
    .optional()
    .describe('JSON overriding login and Graph hosts per cloud (the local cloud); disables instance discovery for overridden hosts.'),
  VIGIL_KEY_VAULT_URLS: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean),
    )
    .pipe(z.array(httpsUrl).min(1, 'must list at least one vault URL'))
    .describe('Comma-separated URLs of the Key Vaults Vigil watches.'),
  VIGIL_INVENTORY_SCHEDULE: ncrontab.default('0 0 6 * * *').describe('NCRONTAB (UTC) of the inventory run that lists what Vigil can see.'),
  VIGIL_API_AUDIENCE: commaList(z.string().min(1))
    .default(['api://vigil'])
    .describe("Comma-separated audiences accepted in access tokens for Vigil's API: its Application ID URI and/or client id."),
  VIGIL_API_ALLOWED_TENANTS: commaList(z.uuid())
    .optional()
    .describe('Comma-separated tenant ids whose tokens Vigil accepts; default: VIGIL_TENANT_ID only.'),
  VIGIL_TRUST_PLATFORM_AUTH: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .default(false)
    .describe(
      'true only when App Service Authentication runs in front of the app: then x-ms-client-principal headers are trusted. Without it anyone can forge them.',
    ),
  VIGIL_ROTATION_SCHEDULE: ncrontab
    .default('0 */15 * * * *')
    .describe(
      'NCRONTAB (UTC) of the rotation timer: retirements after the grace period, policy-driven rotations, resuming interrupted ones.',
    ),
  VIGIL_ROTATION_LIFETIME_DAYS: z.coerce
    .number()
    .pipe(z.int().min(1).max(lifetimeLimits.maxDays))
    .default(lifetimeLimits.defaultDays)
    .describe('Lifetime of a new client secret when the request names none (at most 730).'),
  VIGIL_ROTATION_GRACE_HOURS: z
    .string()
    .transform((v) => (v === 'never' ? v : Number(v)))
    .pipe(graceSchema)
    .default(168)
    .describe('Hours the old secret lives on after a rotation, or never.'),
  VIGIL_ROTATION_RULES: rotationRulesSetting
    .optional()
    .describe(
      'JSON array of opt-in rules for policy-driven rotation: [{appId, vaultSecretName, withinDays, lifetimeDays?, retireOldAfterHours?, vaultUrl?}].',
    ),
  VIGIL_TENANTS: tenantsSetting
    .optional()
    .describe(
      'JSON array of the tenants the expiry scanner watches: tenantId, displayName, cloud, auth ({"kind":"managedIdentity"} in the home tenant; {"kind":"clientSecret" or "certificate","clientId","keyVaultSecretName"} elsewhere) and routing {owner, team}. Default: the home tenant with Vigil\'s own identity.',
    ),
  VIGIL_SCAN_SCHEDULE: ncrontab
    .default('0 0 * * * *')
    .describe('NCRONTAB (UTC) of the expiry scan planner, which queues one scan per tenant.'),
  VIGIL_EXPIRY_THRESHOLDS_DAYS: expiryThresholds
    .prefault('60,30,14,7,3,1')
    .describe('Comma-separated days before expiry at which a credential is reported (the ladder); expired is always reported.'),
  VIGIL_STALE_AFTER_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(30)
    .describe('Days after expiry when a credential that a newer one replaced is reported once as stale, to be removed.'),
  VIGIL_UNUSED_AFTER_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(365)
    .default(30)
    .describe(
      "Days without a sign-in (Entra's usage report) after which a credential counts as unused: an expiring one is advised to lapse, not be rotated, at low severity.",
    ),
  VIGIL_SECRET_MAX_LIFETIME_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(180)
    .describe('Longest lifetime of a client secret before it is reported as hygiene (the CISA SCuBA baseline: 180 days).'),
  VIGIL_FULL_SCAN_EVERY_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(168)
    .default(24)
    .describe('Hours between full scans of a tenant; the scans between read only what changed (delta query).'),
  VIGIL_REFRESH_SCHEDULE: ncrontab
    .default('0 0 * * * *')
    .describe('NCRONTAB (UTC) of the refresh planner, which queues the token connections that are due. Keep it at most hourly.'),
  VIGIL_REFRESH_PROBE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24)
    .default(24)
    .describe('Hours between two probes of a healthy token connection (at most 24, so a revocation is found within a day).'),
  VIGIL_REFRESH_WRITE_BACK_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(60)
    .default(7)
    .describe('Write a rotated refresh token back to Key Vault only when the stored version is at least this many days old.'),
  VIGIL_REFRESH_LEASE_SECONDS: z.coerce
    .number()
    .int()
    .min(30)
    .max(3600)
    .default(300)
    .describe('How long one refresh holds its lease on a connection; a crashed holder loses it after this.'),
  VIGIL_TRANSIENT_ALERT_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(3)
    .describe('Consecutive transient failures (of a token refresh, or of listing a vault) before an alert…'),
  VIGIL_TRANSIENT_ALERT_HOURS: z.coerce
    .number()
    .min(0)
    .max(168)
    .default(6)
    .describe('…and the least number of hours those failures must span.'),
  VIGIL_ROUTES: routesSetting
    .optional()
    .describe(
      'JSON: notification routes (mail recipients, Teams channels and webhook endpoints by Key Vault secret name), the rules mapping events to them, and the default route; see docs/notifications.md. Unset: events are only logged.',
    ),
  VIGIL_MAIL_SENDER: z
    .email()
    .optional()
    .describe(
      'Mailbox (UPN) the mail digests are sent from with Graph sendMail (Mail.Send, best scoped to this mailbox with Exchange RBAC for Applications).',
    ),
  VIGIL_NOTIFICATION_VAULT_URL: httpsUrl
    .optional()
    .describe(
      'Key Vault holding the Teams Workflow URLs and webhook signing keys the routes name. Default: the first of VIGIL_KEY_VAULT_URLS.',
    ),
  VIGIL_RUNBOOK_URL: httpsUrl.optional().describe('The credential rotation runbook, linked from every mail item and Teams card.'),
  VIGIL_NOTIFY_TIME_ZONE: z
    .string()
    .refine((zone) => IANAZone.isValidZone(zone), 'must be an IANA time zone such as Europe/Amsterdam')
    .default('UTC')
    .describe('Time zone dates are shown in, in mail and Teams.'),
  VIGIL_REMINDER_WITHIN_DAYS: z.coerce
    .number()
    .int()
    .min(0)
    .max(3650)
    .default(7)
    .describe('Open findings are reminded of once this many days or fewer remain (always, for findings without a date).'),
  VIGIL_REMINDER_EVERY_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(720)
    .default(24)
    .describe('Hours between two reminders of the same open finding on a route.'),
  VIGIL_SNOOZE_MAX_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(90)
    .default(90)
    .describe('Longest snooze a person may set on a finding, in days (at most 90).'),
  VIGIL_SNOOZE_EXPIRY_MARGIN_DAYS: z.coerce
    .number()
    .int()
    .min(0)
    .max(90)
    .default(7)
    .describe('Days a snooze may outlast the expiry of the credential it silences.'),
  VIGIL_DELIVERY_MAX_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(20)
    .default(6)
    .describe('Attempts per notification before it goes to the vigil-outbox-poison queue and is reported on the default route.'),
  VIGIL_DELIVERY_BACKOFF_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(30)
    .describe(
      'First retry delay of a failed delivery; doubled per attempt with jitter, up to an hour. A Retry-After answer is waited exactly.',
    ),
  VIGIL_DIGEST_SCHEDULE: ncrontab
    .default('0 0 7 * * *')
    .describe('NCRONTAB (UTC) of the daily digest, sent for routes whose schedule is "daily".'),
});

export type Settings = z.output<typeof settingsSchema>;
export const settingNames = Object.keys(settingsSchema.shape) as Array<keyof Settings>;
