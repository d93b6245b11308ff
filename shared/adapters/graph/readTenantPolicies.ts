import { z } from 'zod';
import type { PolicyRestrictions, TenantPolicies } from '../../intelligence/AppPolicy.js';
import type { PageFetcher } from './createPageFetcher.js';
import { appPolicyName, appPolicySchema, tenantPolicySchema, toPolicyRestrictions, toTenantDefault } from './graphPolicies.js';
import { odataQuery, readPages, type GraphReadFailure } from './readPages.js';

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
 * Application.Read.All). A refusal makes the policies unknown, never "no policy".
 * learn.microsoft.com/graph/api/tenantappmanagementpolicy-get, …/appmanagementpolicy-list-appliesto
 */
export async function readTenantPolicies(fetcher: PageFetcher, origin: string): Promise<TenantPolicies> {
  const fallback = await fetcher.get(`${origin}/v1.0/policies/defaultAppManagementPolicy`);
  if (fallback.kind !== 'ok') return unavailable(fallback.kind === 'failed' ? toFailure(fallback) : undefined);
  const parsedDefault = tenantPolicySchema.safeParse(fallback.body);
  if (!parsedDefault.success) return { kind: 'unavailable', reason: 'Graph sent a default app management policy Vigil cannot read' };
  const listed = await readPages(
    fetcher,
    origin,
    `${origin}/v1.0/policies/appManagementPolicies?${odataQuery({ $select: 'id,displayName,isEnabled,restrictions' })}`,
  );
  if (!listed.ok) return unavailable(listed.failure);
  const byObjectId = new Map<string, PolicyRestrictions>();
  for (const item of listed.items) {
    const policy = appPolicySchema.safeParse(item);
    if (!policy.success || !policy.data.isEnabled) continue;
    const restrictions = toPolicyRestrictions(appPolicyName(policy.data), policy.data.restrictions);
    const appliesTo = await readPages(
      fetcher,
      origin,
      `${origin}/v1.0/policies/appManagementPolicies/${encodeURIComponent(policy.data.id)}/appliesTo?${odataQuery({ $select: 'id' })}`,
    );
    if (!appliesTo.ok) return unavailable(appliesTo.failure);
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
