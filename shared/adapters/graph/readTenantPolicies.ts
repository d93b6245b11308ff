import { z } from 'zod';
import type { PolicyRestrictions, TenantPolicies } from '../../intelligence/AppPolicy.js';
import type { PageFetcher } from './createPageFetcher.js';
import { appPolicyName, appPolicySchema, tenantPolicySchema, toPolicyRestrictions, toTenantDefault } from './graphPolicies.js';
import { eachAtOnce, odataQuery, readPages, type GraphReadFailure } from './readPages.js';

/**
 * Reading app management policies as an application takes Policy.Read.All. The narrower
 * Policy.Read.ApplicationConfiguration is listed by Microsoft's docs (appliesTo's permission table; the
 * Graph PowerShell help for appManagementPolicy) and declared as an application permission in
 * microsoftgraph/msgraph-metadata, but there with no paths at all, while Policy.Read.All maps
 * `GET /policies/defaultAppManagementPolicy` and `/policies/appManagementPolicies`; and no source read on
 * 2026-12-04 publishes its app role id, which a grant needs (Microsoft365DSC moved its own read of these
 * policies from it to Policy.Read.All). Switch when Graph's permissions reference gives the id.
 */
export const policyReadPermission = 'Policy.Read.All';

const objectIdSchema = z.object({ id: z.string() });

/**
 * The tenant's app management policies: the default (one request), the assigned policies (one page,
 * usually), and whom each enabled policy applies to (one request per policy; `appliesTo` needs only
 * Application.Read.All). The default and the list are asked for together, and the enabled policies'
 * `appliesTo` a few at a time, so the policies take the round trips of one directory page where no policy is
 * enabled, and of two where some are, not one per request: a scan judges nothing before they are read.
 * A refusal makes the policies unknown, never "no policy".
 * learn.microsoft.com/graph/api/tenantappmanagementpolicy-get, …/appmanagementpolicy-list-appliesto
 */
export async function readTenantPolicies(fetcher: PageFetcher, origin: string): Promise<TenantPolicies> {
  const [fallback, listed] = await Promise.all([
    fetcher.get(`${origin}/v1.0/policies/defaultAppManagementPolicy`),
    readPages(
      fetcher,
      origin,
      `${origin}/v1.0/policies/appManagementPolicies?${odataQuery({ $select: 'id,displayName,isEnabled,restrictions' })}`,
    ),
  ]);
  if (fallback.kind !== 'ok') return unavailable(fallback.kind === 'failed' ? toFailure(fallback) : undefined);
  const parsedDefault = tenantPolicySchema.safeParse(fallback.body);
  if (!parsedDefault.success) return { kind: 'unavailable', reason: 'Graph sent a default app management policy Vigil cannot read' };
  if (!listed.ok) return unavailable(listed.failure);
  const enabled = listed.items.flatMap((item) => {
    const policy = appPolicySchema.safeParse(item);
    return policy.success && policy.data.isEnabled ? [policy.data] : [];
  });
  const targets = await eachAtOnce(enabled, (policy) =>
    readPages(
      fetcher,
      origin,
      `${origin}/v1.0/policies/appManagementPolicies/${encodeURIComponent(policy.id)}/appliesTo?${odataQuery({ $select: 'id' })}`,
    ),
  );
  const byObjectId = new Map<string, PolicyRestrictions>();
  for (const [index, appliesTo] of targets.entries()) {
    if (!appliesTo.ok) return unavailable(appliesTo.failure);
    const policy = enabled[index]!;
    const restrictions = toPolicyRestrictions(appPolicyName(policy), policy.restrictions);
    for (const target of appliesTo.items) {
      const id = objectIdSchema.safeParse(target);
      if (id.success) byObjectId.set(id.data.id.toLowerCase(), restrictions);
    }
  }
  return { kind: 'read', tenantDefault: toTenantDefault(parsedDefault.data), byObjectId };
}

function toFailure(result: { failure: { reason: string }; status?: number; serviceCode?: string }): GraphReadFailure {
  return { reason: result.failure.reason, status: result.status, serviceCode: result.serviceCode };
}

function unavailable(failure: GraphReadFailure | undefined): TenantPolicies {
  if (failure?.status === 403)
    return {
      kind: 'unavailable',
      reason: `Vigil may not read the tenant's app management policies (grant ${policyReadPermission})`,
      missingPermission: policyReadPermission,
    };
  return { kind: 'unavailable', reason: `the app management policies could not be read: ${failure?.reason ?? 'Graph refused'}` };
}
