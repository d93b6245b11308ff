import type { AppManagementPolicyRecord, CredentialRestrictionsRecord } from '../state/model.js';
import type { TenantDirectory } from '../state/TenantDirectory.js';
import { indexOf, toResource, type DirectoryObject } from './directoryCollections.js';
import type { DirectoryCollection, GraphCall, ObjectKey } from './graphCall.js';
import { directoryReadPermissions, hasAny } from './graphPermissions.js';
import { forbidden, fromFailure, graphError, graphJson, resourceNotFound } from './graphResponses.js';
import { rejectOptions } from './odataQuery.js';

/** Permissions that read app management policies (tenantappmanagementpolicy-get, appmanagementpolicy-list). */
export const policyReadPermissions = [
  'Policy.Read.ApplicationConfiguration',
  'Policy.Read.All',
  'Policy.ReadWrite.ApplicationConfiguration',
];

/** The id and names Graph gives the tenant default (a singleton). */
const tenantPolicyId = '00000000-0000-0000-0000-000000000000';

/** `GET /policies/defaultAppManagementPolicy`: off until an admin enables it. */
export function getTenantPolicy(call: GraphCall): Response {
  if (!hasAny(call.caller, policyReadPermissions)) return forbidden(call.ids);
  const policy = call.tenant.record.defaultAppManagementPolicy;
  const none = { passwordCredentials: [], keyCredentials: [] };
  return graphJson(call.ids, 200, {
    '@odata.context': `${call.origin}/v1.0/$metadata#policies/defaultAppManagementPolicy/$entity`,
    id: tenantPolicyId,
    displayName: 'Default app management tenant policy',
    description: 'Default tenant policy that enforces app management restrictions on applications and service principals.',
    isEnabled: policy.isEnabled,
    applicationRestrictions: toRestrictions(policy.applicationRestrictions),
    servicePrincipalRestrictions: none,
  });
}

const policyProperties = ['id', 'displayName', 'description', 'isEnabled', 'restrictions'];

/** `GET /policies/appManagementPolicies` with `$select`. */
export function listAppManagementPolicies(call: GraphCall): Response {
  if (!hasAny(call.caller, policyReadPermissions)) return forbidden(call.ids);
  const select = selectOf(call);
  if (!Array.isArray(select)) return select;
  return graphJson(call.ids, 200, {
    '@odata.context': `${call.origin}/v1.0/$metadata#policies/appManagementPolicies`,
    value: call.tenant.record.appManagementPolicies.map((p) => pick(toPolicyResource(p), select)),
  });
}

/** `GET /applications/{id}/appManagementPolicies`: the policies assigned to one application. */
export function listAssignedPolicies(call: GraphCall, collection: DirectoryCollection, key: ObjectKey): Response {
  if (!hasAny(call.caller, [...policyReadPermissions, ...directoryReadPermissions])) return forbidden(call.ids);
  const object = indexOf(call.tenant, collection).find(key);
  if (!object) return resourceNotFound(call.ids, key.value);
  return graphJson(call.ids, 200, {
    '@odata.context': `${call.origin}/v1.0/$metadata#appManagementPolicies`,
    value: call.tenant.record.appManagementPolicies.filter((p) => p.appliesTo.includes(object.id)).map(toPolicyResource),
  });
}

/** `GET /policies/appManagementPolicies/{id}/appliesTo`: needs only Application.Read.All (appmanagementpolicy-list-appliesto). */
export function listPolicyAppliesTo(call: GraphCall, policyId: string): Response {
  if (!hasAny(call.caller, [...directoryReadPermissions, ...policyReadPermissions])) return forbidden(call.ids);
  const policy = call.tenant.record.appManagementPolicies.find((p) => p.id.toLowerCase() === policyId.toLowerCase());
  if (!policy) return resourceNotFound(call.ids, policyId);
  const unsupported = rejectOptions(call.query, ['$expand', '$orderby', '$search']);
  if (unsupported) return fromFailure(call.ids, unsupported);
  const targets = policy.appliesTo.flatMap((id): Array<[DirectoryObject, string]> => {
    const app = call.tenant.applications.find({ by: 'id', value: id });
    if (app) return [[app, '#microsoft.graph.application']];
    const sp = call.tenant.servicePrincipals.find({ by: 'id', value: id });
    return sp ? [[sp, '#microsoft.graph.servicePrincipal']] : [];
  });
  const select = (call.query.get('$select') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return graphJson(call.ids, 200, {
    '@odata.context': `${call.origin}/v1.0/$metadata#directoryObjects`,
    value: targets.map(([object, type]) => ({
      '@odata.type': type,
      ...toResource(call.ctx.store, call.tenant, object, { select: select.length > 0 ? select : ['appId', 'displayName'] }),
    })),
  });
}

/**
 * The restrictions that govern new credentials of an object: the policy assigned to it, else the enabled
 * tenant default; each restriction only for objects created on or after its date. Service principals
 * are governed by the default's service principal restrictions, which the emulator keeps empty.
 */
export function governingRestrictions(
  tenant: TenantDirectory,
  object: DirectoryObject,
): { policyId: string; restrictions: CredentialRestrictionsRecord } | undefined {
  const assigned = tenant.record.appManagementPolicies.find((p) => p.isEnabled && p.appliesTo.includes(object.id));
  const fallback = tenant.record.defaultAppManagementPolicy;
  const chosen = assigned
    ? { policyId: assigned.id, restrictions: assigned.restrictions }
    : fallback.isEnabled && !('appOwnerOrganizationId' in object)
      ? { policyId: tenantPolicyId, restrictions: fallback.applicationRestrictions }
      : undefined;
  if (!chosen) return undefined;
  const created = 'createdDateTime' in object ? Date.parse(object.createdDateTime) : 0;
  const applies = (r: CredentialRestrictionsRecord['passwordCredentials'][number]) =>
    r.state !== 'disabled' &&
    (r.restrictForAppsCreatedAfterDateTime === null || created >= Date.parse(r.restrictForAppsCreatedAfterDateTime));
  return {
    policyId: chosen.policyId,
    restrictions: {
      passwordCredentials: chosen.restrictions.passwordCredentials.filter(applies),
      keyCredentials: chosen.restrictions.keyCredentials.filter(applies),
    },
  };
}

function toPolicyResource(p: AppManagementPolicyRecord): Record<string, unknown> {
  return {
    id: p.id,
    displayName: p.displayName,
    description: p.description,
    isEnabled: p.isEnabled,
    restrictions: toRestrictions(p.restrictions),
  };
}

function toRestrictions(r: CredentialRestrictionsRecord) {
  const one = (x: CredentialRestrictionsRecord['passwordCredentials'][number]) => ({
    restrictionType: x.restrictionType,
    state: x.state,
    maxLifetime: x.maxLifetime,
    restrictForAppsCreatedAfterDateTime: x.restrictForAppsCreatedAfterDateTime,
  });
  return { passwordCredentials: r.passwordCredentials.map(one), keyCredentials: r.keyCredentials.map(one) };
}

function selectOf(call: GraphCall): string[] | Response {
  const raw = call.query.get('$select');
  if (raw === null) return policyProperties;
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.find((n) => !policyProperties.some((p) => p.toLowerCase() === n.toLowerCase()));
  if (unknown)
    return graphError(
      call.ids,
      400,
      'BadRequest',
      `Could not find a property named '${unknown}' on type 'microsoft.graph.appManagementPolicy'.`,
    );
  return ['id', ...names.map((n) => policyProperties.find((p) => p.toLowerCase() === n.toLowerCase())!)];
}

function pick(resource: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.map((n) => [n, resource[n]]));
}
