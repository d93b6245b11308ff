import { Duration } from 'luxon';

/**
 * One restriction of an app management policy (passwordCredentialConfiguration / keyCredentialConfiguration):
 * `passwordAddition` blocks new secrets, `passwordLifetime` caps their lifetime (`maxLifetime`, ISO 8601),
 * `asymmetricKeyLifetime` caps certificates'. `restrictForAppsCreatedAfterDateTime` grandfathers older
 * apps (null: every app); a `disabled` restriction does nothing.
 * learn.microsoft.com/graph/api/resources/passwordcredentialconfiguration
 */
export interface CredentialRestriction {
  restrictionType: string;
  maxLifetime: string | null;
  restrictForAppsCreatedAfterDateTime: string | null;
  state: 'enabled' | 'disabled';
}

/** The credential restrictions of one policy that applies: the tenant default, or a policy assigned to the app. */
export interface PolicyRestrictions {
  /** How a person finds it: "the tenant's default app management policy" or the policy's display name. */
  name: string;
  passwordCredentials: CredentialRestriction[];
  keyCredentials: CredentialRestriction[];
}

/**
 * A tenant's app management policies as one scan (or rotation) read them: the enabled tenant default
 * (`null` when it is off) and the policies assigned to applications, by application object id. An
 * assigned policy replaces the default for its app (learn.microsoft.com/graph/api/resources/appmanagementpolicy).
 */
export type TenantPolicies =
  | { kind: 'read'; tenantDefault: PolicyRestrictions | null; byObjectId: ReadonlyMap<string, PolicyRestrictions> }
  | { kind: 'unavailable'; reason: string; missingPermission?: string | undefined };

/** What the policy that applies to one app says about client secrets and certificates. */
export interface CredentialRules {
  /** The policy that blocks new client secrets, if one does. */
  passwordAdditionBlockedBy: string | null;
  passwordMaxLifetime: { days: number; policy: string } | null;
  certificateMaxLifetime: { days: number; policy: string } | null;
}

export const noRules: CredentialRules = { passwordAdditionBlockedBy: null, passwordMaxLifetime: null, certificateMaxLifetime: null };

/** The policy that governs one application: its assigned policy, else the tenant default. */
export function policyOf(policies: Extract<TenantPolicies, { kind: 'read' }>, objectId: string): PolicyRestrictions | null {
  return policies.byObjectId.get(objectId.toLowerCase()) ?? policies.tenantDefault;
}

/**
 * The rules one policy sets for an app created at `appCreatedDateTime` (unknown: treated as governed,
 * which errs on the side of the policy, as Entra would if the date were recent).
 */
export function credentialRulesOf(policy: PolicyRestrictions | null, appCreatedDateTime: string | null): CredentialRules {
  if (!policy) return noRules;
  const applies = (r: CredentialRestriction) =>
    r.state !== 'disabled' &&
    (r.restrictForAppsCreatedAfterDateTime === null ||
      appCreatedDateTime === null ||
      Date.parse(appCreatedDateTime) >= Date.parse(r.restrictForAppsCreatedAfterDateTime));
  const find = (list: CredentialRestriction[], type: string) => list.find((r) => r.restrictionType === type && applies(r));
  const lifetime = (r: CredentialRestriction | undefined) => {
    const days = r?.maxLifetime ? durationDays(r.maxLifetime) : undefined;
    return days === undefined ? null : { days, policy: policy.name };
  };
  return {
    passwordAdditionBlockedBy: find(policy.passwordCredentials, 'passwordAddition') ? policy.name : null,
    passwordMaxLifetime: lifetime(find(policy.passwordCredentials, 'passwordLifetime')),
    certificateMaxLifetime: lifetime(find(policy.keyCredentials, 'asymmetricKeyLifetime')),
  };
}

/** Whole days of an ISO 8601 duration (`P90D`, `P1Y`, `P4DT12H`), rounded down; undefined when it is not one. */
function durationDays(iso: string): number | undefined {
  const duration = Duration.fromISO(iso);
  if (!duration.isValid) return undefined;
  return Math.floor(duration.shiftTo('days').days);
}
