import { z } from 'zod';
import { cloudNames, type CloudName } from '../cloud/cloudEndpoints.js';
import { secretNameSchema } from '../vault/secretNameSchema.js';

/** Key Vault secret names: 1–127 letters, digits and dashes. */
const vaultUrl = z.url({ protocol: /^https$/ });

/**
 * How Vigil signs in to a tenant. Its managed identity only works in its home tenant; elsewhere a
 * multi-tenant app registration consented there, whose secret or PEM certificate (with private key) is
 * kept in one of Vigil's vaults, never in an app setting.
 */
const tenantAuthSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('managedIdentity') }),
  z.strictObject({
    kind: z.literal('clientSecret'),
    clientId: z.uuid(),
    keyVaultSecretName: secretNameSchema,
    vaultUrl: vaultUrl.optional(),
  }),
  z.strictObject({
    kind: z.literal('certificate'),
    clientId: z.uuid(),
    keyVaultSecretName: secretNameSchema,
    vaultUrl: vaultUrl.optional(),
  }),
]);

const tenantSchema = z.strictObject({
  /** Kept in lower case: findings, scan state and events key on it. */
  tenantId: z.uuid().transform((id) => id.toLowerCase()),
  displayName: z.string().min(1),
  cloud: z.enum(cloudNames).default('global'),
  auth: tenantAuthSchema,
  /** Who hears about this tenant's findings unless a tag or route says otherwise. */
  routing: z.strictObject({ owner: z.string().min(1).optional(), team: z.string().min(1).optional() }).default({}),
});

export type TenantAuth = z.output<typeof tenantAuthSchema>;
export type TenantConfig = z.output<typeof tenantSchema>;

/**
 * `VIGIL_TENANTS`: a JSON array of tenants. Problems are reported with their place in the array
 * (`[1].auth.clientId: …`), because "invalid input" on a whole JSON setting helps nobody.
 */
export const tenantsSetting = z.string().transform((text, ctx): TenantConfig[] => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: 'must be a JSON array such as [{"tenantId":"…","displayName":"…","auth":{"kind":"managedIdentity"}}]',
    });
    return z.NEVER;
  }
  const parsed = z.array(tenantSchema).min(1).safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: `${toPath(issue.path)}: ${issue.message}` });
    return z.NEVER;
  }
  const seen = new Set<string>();
  for (const tenant of parsed.data) {
    if (seen.has(tenant.tenantId.toLowerCase())) ctx.addIssue({ code: 'custom', message: `tenant ${tenant.tenantId} is listed twice` });
    seen.add(tenant.tenantId.toLowerCase());
  }
  return parsed.data;
});

function toPath(path: ReadonlyArray<PropertyKey>): string {
  return (
    path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '') || '(value)'
  );
}

/** What `scanTargets` and the tenants check need from the settings. */
interface TenantSettings {
  VIGIL_TENANT_ID: string;
  VIGIL_CLOUD: CloudName;
  VIGIL_TENANTS?: TenantConfig[] | undefined;
}

/** The tenants the scanner watches: the configured list, or the home tenant with Vigil's own identity. */
export function scanTargets(settings: TenantSettings): TenantConfig[] {
  return (
    settings.VIGIL_TENANTS ?? [
      {
        tenantId: settings.VIGIL_TENANT_ID.toLowerCase(),
        displayName: 'Home tenant',
        cloud: settings.VIGIL_CLOUD,
        auth: { kind: 'managedIdentity' },
        routing: {},
      },
    ]
  );
}

/**
 * Finds the tenant an id names, in any case, by a map: a scan message, a scan request and a rotation each name
 * one, and with a thousand tenants a pass lower-casing every id took 0.1–0.3 ms each time (run by each of a queue
 * batch's 16 handlers before any of their sign-ins could leave). Ids are unique: the setting refuses one listed twice.
 */
export function tenantLookup(tenants: readonly TenantConfig[]): (tenantId: string) => TenantConfig | undefined {
  const byId = new Map(tenants.map((t) => [t.tenantId.toLowerCase(), t]));
  return (tenantId) => byId.get(tenantId.toLowerCase());
}

/** Cross-setting checks: a managed identity cannot sign in to another tenant or cloud than its own. */
export function checkTenants(settings: TenantSettings): string[] {
  return (settings.VIGIL_TENANTS ?? [])
    .filter(
      (t) =>
        t.auth.kind === 'managedIdentity' &&
        (t.tenantId.toLowerCase() !== settings.VIGIL_TENANT_ID.toLowerCase() || t.cloud !== settings.VIGIL_CLOUD),
    )
    .map(
      (t) =>
        `VIGIL_TENANTS: tenant ${t.tenantId} uses managedIdentity, which works only in the home tenant (VIGIL_TENANT_ID) and cloud; use clientSecret or certificate there`,
    );
}
