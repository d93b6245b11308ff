import { z } from 'zod';
import { cloudNames } from '../cloud/cloudEndpoints.js';

/** Key Vault references that App Service could not resolve stay in the environment as this literal. */
const UNRESOLVED_REFERENCE = '@Microsoft.KeyVault(';

const notUnresolvedReference = (value: string) => !value.startsWith(UNRESOLVED_REFERENCE);
const secretText = z.string().min(1).refine(notUnresolvedReference, 'is an unresolved Key Vault reference; check the app identity can read the secret');
const httpsUrl = z.url({ protocol: /^https$/ });
const ncrontab = z
  .string()
  .regex(/^\S+ \S+ \S+ \S+ \S+ \S+$/, 'must be a 6-field NCRONTAB expression ({second} {minute} {hour} {day} {month} {day-of-week}), in UTC');

const endpointOverride = z.object({ login: httpsUrl, graph: httpsUrl });
const cloudEndpointOverrides = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON such as {"global":{"login":"https://…","graph":"https://…"}}' });
      return z.NEVER;
    }
  })
  .pipe(z.partialRecord(z.enum(cloudNames), endpointOverride));

/**
 * Every app setting Vigil reads, by its exact name. This is the one list: the loader, the sample file,
 * the Bicep app settings and the README table are checked against it by test.
 */
export const settingsSchema = z.object({
  FUNCTIONS_WORKER_RUNTIME: z.literal('node').optional().describe('Read by the Functions Core Tools locally; deprecated as an app setting on Flex Consumption, so not set in Azure.'),
  AzureWebJobsStorage: z.string().min(1).optional().describe('Storage connection string (Azurite locally). Leave unset in Azure and use AzureWebJobsStorage__accountName.'),
  AzureWebJobsStorage__accountName: z.string().regex(/^[a-z0-9]{3,24}$/).optional().describe('Storage account for identity-based access to queues and tables (Azure).'),
  AzureWebJobsStorage__clientId: z.uuid().optional().describe('Client id of the user-assigned identity used for storage (Azure).'),
  VIGIL_CLOUD: z.enum(cloudNames).default('global').describe("Vigil's home cloud: global, usgov, usgovdod or china."),
  VIGIL_TENANT_ID: z.uuid().describe("Vigil's home tenant id."),
  VIGIL_CLIENT_ID: z.uuid().optional().describe("Client id of Vigil's identity: the user-assigned managed identity in Azure, or the app registration when a secret is used."),
  VIGIL_CLIENT_SECRET: secretText.optional().describe('Client secret of the app registration; only where no managed identity exists (the local cloud). Never set it in Azure.'),
  VIGIL_CLOUD_ENDPOINTS: cloudEndpointOverrides.optional().describe('JSON overriding login and Graph hosts per cloud (the local cloud); disables instance discovery for overridden hosts.'),
  VIGIL_KEY_VAULT_URLS: z
    .string()
    .transform((s) => s.split(',').map((u) => u.trim()).filter(Boolean))
    .pipe(z.array(httpsUrl).min(1, 'must list at least one vault URL'))
    .describe('Comma-separated URLs of the Key Vaults Vigil watches.'),
  VIGIL_INVENTORY_SCHEDULE: ncrontab.default('0 0 6 * * *').describe('NCRONTAB (UTC) of the inventory run that lists what Vigil can see.'),
});

export type Settings = z.output<typeof settingsSchema>;
export const settingNames = Object.keys(settingsSchema.shape) as Array<keyof Settings>;
