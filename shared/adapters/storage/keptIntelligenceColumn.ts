import { z } from 'zod';
import type { PolicyRestrictions, TenantPolicies } from '../../intelligence/AppPolicy.js';
import type { KeptIntelligence } from '../../intelligence/ScanIntelligence.js';
import { parseStored } from './parseStored.js';

/**
 * Object ids one kept context may hold (federated apps and apps with an assigned policy together). At 22
 * characters each (a GUID's 16 bytes in base64url) they fill 22,000 of a string column's 32,768
 * UTF-16 characters (Table Storage: "String values may be up to 64 KiB in size",
 * learn.microsoft.com/rest/api/storageservices/understanding-the-table-service-data-model).
 */
const KEPT_IDS_BOUND = 1_000;
/** The whole column, policies' restrictions included, stays within this many characters. */
const KEPT_CHARS_BOUND = 30_000;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PACKED_ID_CHARS = 22;

/** Lower-case GUIDs, 22 characters each with no separator; undefined when one is not a GUID. */
function packIds(ids: Iterable<string>): string | undefined {
  let packed = '';
  for (const id of ids) {
    if (!GUID.test(id)) return undefined;
    packed += Buffer.from(id.replaceAll('-', ''), 'hex').toString('base64url');
  }
  return packed;
}

const unpackIds = (packed: string): string[] =>
  Array.from({ length: packed.length / PACKED_ID_CHARS }, (_, i) => {
    const hex = Buffer.from(packed.slice(i * PACKED_ID_CHARS, (i + 1) * PACKED_ID_CHARS), 'base64url').toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  });

const packedIdsSchema = z
  .string()
  .regex(new RegExp(`^([A-Za-z0-9_-]{${PACKED_ID_CHARS}})*$`))
  .transform(unpackIds);

const restrictionSchema = z.object({
  restrictionType: z.string(),
  maxLifetime: z.string().nullable(),
  restrictForAppsCreatedAfterDateTime: z.string().nullable(),
  state: z.enum(['enabled', 'disabled']),
});
const restrictionsSchema = z.object({
  name: z.string(),
  passwordCredentials: z.array(restrictionSchema),
  keyCredentials: z.array(restrictionSchema),
}) satisfies z.ZodType<PolicyRestrictions>;

/** The column as stored: each assigned policy once, with the ids of the apps it applies to. */
const columnSchema = z.object({
  readAt: z.string(),
  policies: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('read'),
      tenantDefault: restrictionsSchema.nullable(),
      assigned: z.array(z.object({ policy: restrictionsSchema, appIds: packedIdsSchema })),
    }),
    z.object({ kind: z.literal('unavailable'), reason: z.string(), missingPermission: z.string().optional() }),
  ]),
  federatedApps: packedIdsSchema,
  federatedUnknown: z.string().optional(),
});

/**
 * A tenant's kept policies and federated apps as one column of its scan state row: '' when there is none
 * to keep, or when it is over the bound (more than `KEPT_IDS_BOUND` ids, or an id that is not a GUID),
 * so that the next delta reads them afresh rather than judge with a part of them.
 */
export function toKeptIntelligenceColumn(kept: KeptIntelligence | undefined): string {
  if (!kept) return '';
  const { policies, federatedApps, federatedUnknown } = kept.context;
  const assigned = policies.kind === 'read' ? byPolicy(policies.byObjectId) : [];
  const ids = federatedApps.size + assigned.reduce((n, a) => n + a.appIds.length, 0);
  if (ids > KEPT_IDS_BOUND) return '';
  const federated = packIds(federatedApps);
  const packed = assigned.map((a) => ({ policy: a.policy, appIds: packIds(a.appIds) }));
  if (federated === undefined || packed.some((a) => a.appIds === undefined)) return '';
  const column = JSON.stringify({
    readAt: kept.readAt,
    policies: policies.kind === 'read' ? { kind: 'read', tenantDefault: policies.tenantDefault, assigned: packed } : policies,
    federatedApps: federated,
    ...(federatedUnknown === undefined ? {} : { federatedUnknown }),
  });
  return column.length <= KEPT_CHARS_BOUND ? column : '';
}

/** The kept context back, or undefined when there is none or it does not parse (the delta then reads afresh). */
export function fromKeptIntelligenceColumn(text: unknown): KeptIntelligence | undefined {
  const column = text ? parseStored(columnSchema, text) : undefined;
  if (!column) return undefined;
  const policies: TenantPolicies =
    column.policies.kind === 'read'
      ? {
          kind: 'read',
          tenantDefault: column.policies.tenantDefault,
          byObjectId: new Map(column.policies.assigned.flatMap((a) => a.appIds.map((id) => [id, a.policy] as const))),
        }
      : column.policies;
  return {
    readAt: column.readAt,
    context: {
      policies,
      federatedApps: new Set(column.federatedApps),
      ...(column.federatedUnknown === undefined ? {} : { federatedUnknown: column.federatedUnknown }),
    },
  };
}

/** Apps by the policy assigned to them (one restrictions object per policy, as the policies were read). */
function byPolicy(byObjectId: ReadonlyMap<string, PolicyRestrictions>): Array<{ policy: PolicyRestrictions; appIds: string[] }> {
  const groups = new Map<PolicyRestrictions, string[]>();
  for (const [id, policy] of byObjectId) {
    const ids = groups.get(policy) ?? [];
    ids.push(id);
    groups.set(policy, ids);
  }
  return [...groups].map(([policy, appIds]) => ({ policy, appIds }));
}
