import { z } from 'zod';
import type { CredentialRestriction, PolicyRestrictions } from '../../intelligence/AppPolicy.js';

const restrictionSchema = z.object({
  restrictionType: z.string(),
  maxLifetime: z.string().nullish(),
  restrictForAppsCreatedAfterDateTime: z.string().nullish(),
  state: z.enum(['enabled', 'disabled']).nullish(),
});
const restrictionsSchema = z
  .object({ passwordCredentials: z.array(restrictionSchema).nullish(), keyCredentials: z.array(restrictionSchema).nullish() })
  .nullish();

/** `GET /policies/defaultAppManagementPolicy` (tenantAppManagementPolicy): the tenant's default restrictions on applications. */
export const tenantPolicySchema = z.object({ isEnabled: z.boolean().nullish(), applicationRestrictions: restrictionsSchema });

/** An `appManagementPolicy`: restrictions assigned to some applications and service principals. */
export const appPolicySchema = z.object({
  id: z.string(),
  displayName: z.string().nullish(),
  isEnabled: z.boolean().nullish(),
  restrictions: restrictionsSchema,
});

export const tenantDefaultName = "the tenant's default app management policy";

/** One policy's credential restrictions in Vigil's terms. */
export function toPolicyRestrictions(name: string, restrictions: z.output<typeof restrictionsSchema>): PolicyRestrictions {
  const toRestriction = (r: z.output<typeof restrictionSchema>): CredentialRestriction => ({
    restrictionType: r.restrictionType,
    maxLifetime: r.maxLifetime ?? null,
    restrictForAppsCreatedAfterDateTime: r.restrictForAppsCreatedAfterDateTime ?? null,
    state: r.state ?? 'enabled',
  });
  return {
    name,
    passwordCredentials: (restrictions?.passwordCredentials ?? []).map(toRestriction),
    keyCredentials: (restrictions?.keyCredentials ?? []).map(toRestriction),
  };
}

/** The enabled tenant default as restrictions, or null when it is off (it is, until an admin turns it on). */
export function toTenantDefault(policy: z.output<typeof tenantPolicySchema>): PolicyRestrictions | null {
  return policy.isEnabled ? toPolicyRestrictions(tenantDefaultName, policy.applicationRestrictions) : null;
}

/** A policy that applies: its display name in quotes (what a person finds in the portal), or its id. */
export function appPolicyName(policy: z.output<typeof appPolicySchema>): string {
  return `app management policy "${policy.displayName ?? policy.id}"`;
}
