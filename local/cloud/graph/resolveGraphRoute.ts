import type { DirectoryCollection, GraphRoute, ObjectKey } from './graphCall.js';

export type RouteResolution = { ok: true; route: GraphRoute; method: 'GET' | 'POST' } | { ok: false; segment: string };

const collections: Record<string, DirectoryCollection> = { applications: 'applications', serviceprincipals: 'servicePrincipals' };

/** `applications`, or `applications(appId='…')`: Graph's alternate key for applications and service principals. */
const collectionSegment = /^(applications|serviceprincipals)(?:\(appId='((?:[^']|'')*)'\))?$/i;

/**
 * Maps a path below `/v1.0` (or `/beta`, where only the credential usage report is emulated) to the
 * operation it names. Segment names are matched without regard to case, as Graph does, and bound
 * functions may carry their namespace (`microsoft.graph.delta`).
 */
export function resolveGraphRoute(path: string, version: 'v1.0' | 'beta' = 'v1.0'): RouteResolution {
  const segments = path.split('/').filter((s) => s !== '');
  const [first = '', ...rest] = segments;
  if (version === 'beta') return resolveBeta(segments);
  if (first === '$batch' && rest.length === 0) return { ok: true, route: { kind: 'batch' }, method: 'POST' };
  if (first.toLowerCase() === 'users') return resolveUser(rest);
  if (first.toLowerCase() === 'policies') return resolvePolicies(rest);
  const match = collectionSegment.exec(first);
  if (!match) return { ok: false, segment: first };
  const collection = collections[match[1]!.toLowerCase()]!;
  if (match[2] !== undefined) return resolveObject(collection, { by: 'appId', value: match[2].replace(/''/g, "'") }, rest);
  if (rest.length === 0) return { ok: true, route: { kind: 'list', collection }, method: 'GET' };
  const [second = '', ...tail] = rest;
  if (operation(second) === 'delta' && tail.length === 0) return { ok: true, route: { kind: 'delta', collection }, method: 'GET' };
  if (second === '$count' && tail.length === 0) return { ok: true, route: { kind: 'count', collection }, method: 'GET' };
  return resolveObject(collection, { by: 'id', value: second }, tail);
}

function resolveObject(collection: DirectoryCollection, key: ObjectKey, rest: string[]): RouteResolution {
  if (rest.length === 0) return { ok: true, route: { kind: 'object', collection, key }, method: 'GET' };
  const [segment = '', ...tail] = rest;
  if (tail.length > 0) return { ok: false, segment: tail[0]! };
  const name = operation(segment);
  if (name === 'owners') return { ok: true, route: { kind: 'owners', collection, key }, method: 'GET' };
  if (name === 'addpassword') return { ok: true, route: { kind: 'addPassword', collection, key }, method: 'POST' };
  if (name === 'removepassword') return { ok: true, route: { kind: 'removePassword', collection, key }, method: 'POST' };
  if (name === 'appmanagementpolicies') return { ok: true, route: { kind: 'assignedPolicies', collection, key }, method: 'GET' };
  if (name === 'federatedidentitycredentials' && collection === 'applications')
    return { ok: true, route: { kind: 'federatedIdentityCredentials', key }, method: 'GET' };
  return { ok: false, segment };
}

/** `policies/defaultAppManagementPolicy`, `policies/appManagementPolicies` and a policy's `appliesTo`. */
function resolvePolicies(rest: string[]): RouteResolution {
  const [name = '', id, relation, ...tail] = rest.map((s, i) => (i === 1 ? s : s.toLowerCase()));
  if (name === 'defaultappmanagementpolicy' && id === undefined)
    return { ok: true, route: { kind: 'tenantAppManagementPolicy' }, method: 'GET' };
  if (name !== 'appmanagementpolicies') return { ok: false, segment: rest[0] ?? 'policies' };
  if (id === undefined) return { ok: true, route: { kind: 'appManagementPolicies' }, method: 'GET' };
  if (relation === 'appliesto' && tail.length === 0) return { ok: true, route: { kind: 'policyAppliesTo', policyId: id }, method: 'GET' };
  return { ok: false, segment: rest[2] ?? id };
}

function resolveBeta(segments: string[]): RouteResolution {
  const [first = '', second, ...tail] = segments;
  if (first.toLowerCase() === 'reports' && second?.toLowerCase() === 'appcredentialsigninactivities' && tail.length === 0)
    return { ok: true, route: { kind: 'credentialActivity' }, method: 'GET' };
  return { ok: false, segment: second ?? first };
}

function resolveUser(rest: string[]): RouteResolution {
  const [user, action = '', ...tail] = rest;
  if (user && operation(action) === 'sendmail' && tail.length === 0) return { ok: true, route: { kind: 'sendMail', user }, method: 'POST' };
  return { ok: false, segment: tail[0] ?? (action || (user ?? 'users')) };
}

function operation(segment: string): string {
  return segment.toLowerCase().replace(/^microsoft\.graph\./, '');
}
