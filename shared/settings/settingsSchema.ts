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
/** https, or http on a loopback host for the local dev host (reply-url.md allows http only for localhost). */
const publicBaseUrl = z
  .string()
  .refine((value) => {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    return url?.protocol === 'https:' || (url?.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname));
  }, 'must be an https URL (http only for localhost)')
  .refine(
    (value) => !URL.canParse(value) || (new URL(value).pathname === '/' && !new URL(value).search),
    'must be the site root, without a path or query',
  )
  .transform((value) => new URL(value).origin);
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
  VIGIL_REMINDER_SCHEDULE: ncrontab
    .default('0 30 6 * * *')
    .describe(
      'NCRONTAB (UTC) of the reminder timer, which walks the open findings and sends what the reminder policy says is due. Keep it daily: each route gets one "still open" digest per run.',
    ),
  VIGIL_REMINDER_WITHIN_DAYS: z.coerce
    .number()
    .int()
    .min(0)
    .max(3650)
    .default(7)
    .describe('A credential that is still valid is reminded of daily once this many days or fewer remain.'),
  VIGIL_REMINDERS_AFTER_LAPSE: z.coerce
    .number()
    .int()
    .min(1)
    .max(60)
    .default(6)
    .describe(
      'After a lapse or a failure, reminders come 1, 3 and 7 days later and then weekly, at most this many; the last one says that the reminders stop.',
    ),
  VIGIL_DIGEST_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(3600)
    .default(300)
    .describe(
      'What one route must hear within this many seconds (windows aligned to the clock) goes out as one mail and one Teams card per channel; webhooks stay one per event. 0: one digest per producer run, at once.',
    ),
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
  VIGIL_DELIVERY_DEADLINE_HOURS: z.coerce
    .number()
    .min(1)
    .max(168)
    .default(24)
    .describe(
      'Hours a notice about a problem is retried before it is parked in vigil-outbox-poison; a channel failing that long has fallen back to the default route long before.',
    ),
  VIGIL_DELIVERY_INFO_DEADLINE_HOURS: z.coerce
    .number()
    .min(1)
    .max(168)
    .default(6)
    .describe('Hours a purely informational notice (records, recoveries) is retried: it tells of nothing that needs a person.'),
  VIGIL_DELIVERY_FALLBACK_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1440)
    .default(30)
    .describe(
      "Minutes a channel may keep failing one notice before its items also go to the default route's mail and Teams channels (at once on a failure retrying cannot fix).",
    ),
  VIGIL_DELIVERY_TIMEOUT_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(30)
    .default(15)
    .describe('Seconds one delivery (Graph sendMail, a Teams Workflow, a webhook) may take before it counts as timed out and is retried.'),
  VIGIL_DELIVERY_BACKOFF_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(30)
    .describe(
      'First retry delay of a failed delivery; doubled per attempt with jitter, up to an hour. A Retry-After answer is waited exactly.',
    ),
  VIGIL_PUBLIC_BASE_URL: publicBaseUrl
    .optional()
    .describe(
      "Vigil's public base URL (https://<function app host>): sign-in links and the redirect URI <base>/api/signed-in, which each downstream app registers, and every notification's link to its finding on the status page (<base>/api/dashboard). Unset: no sign-in links, and notifications link only to the portal.",
    ),
  VIGIL_SIGN_IN_LINK_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(30)
    .default(7)
    .describe('Days a sign-in link (connect or reconnect) stays usable; each link works once.'),
  VIGIL_DIGEST_SCHEDULE: ncrontab
    .default('0 0 7 * * *')
    .describe('NCRONTAB (UTC) of the daily digest, sent for routes whose schedule is "daily".'),
  VIGIL_POISON_WATCH_SCHEDULE: ncrontab
    .default('0 */15 * * * *')
    .describe("NCRONTAB (UTC) of the watcher that reports messages parked in Vigil's poison queues on the default route."),
});

export type Settings = z.output<typeof settingsSchema>;

/**
 * Settings earlier versions read and this one does not, with what replaced them: start-up stops naming
 * the replacement rather than quietly ignoring a setting someone relies on.
 */
/**
 * Settings Vigil no longer reads, with what replaced them: one left set would mean something it no longer
 * does, so start-up stops and names the replacement.
 */
export const retiredSettings: Readonly<Record<string, string>> = {
  VIGIL_REMINDER_EVERY_HOURS:
    'no longer used: reminders follow a fixed policy (daily while VIGIL_REMINDER_WITHIN_DAYS or fewer days remain; after a lapse or failure at 1, 3 and 7 days, then weekly, up to VIGIL_REMINDERS_AFTER_LAPSE), sent by the timer on VIGIL_REMINDER_SCHEDULE (docs/notifications.md, "Reminders"). Remove this setting',
  VIGIL_DELIVERY_MAX_ATTEMPTS:
    'is no longer read: a delivery is retried until VIGIL_DELIVERY_DEADLINE_HOURS (default 24) passes, not for a number of attempts; remove it and set VIGIL_DELIVERY_DEADLINE_HOURS if 24 hours does not suit',
};
export const settingNames = Object.keys(settingsSchema.shape) as Array<keyof Settings>;
