import type { EmulatorContext } from '../EmulatorContext.js';
import type { CloudName } from '../state/model.js';
import { authenticateGraph, wwwAuthenticate } from './authenticateGraph.js';
import { directoryDelta } from './directoryDelta.js';
import { getDirectoryObject, listOwners } from './getDirectoryObject.js';
import type { BodyRead, GraphCall, GraphRoute } from './graphCall.js';
import { graphError, newRequestIds } from './graphResponses.js';
import { recordGraphRequest } from './graphStats.js';
import { requestCost, tooManyRequests, type GraphThrottle } from './graphThrottle.js';
import { getTenantPolicy, listAppManagementPolicies, listAssignedPolicies, listPolicyAppliesTo } from './appManagementPolicies.js';
import { listCredentialActivity } from './credentialActivity.js';
import { countDirectoryObjects, listDirectoryObjects, listFederatedCredentials } from './listDirectoryObjects.js';
import { addPassword, removePassword } from './passwordCredentialActions.js';
import { resolveGraphRoute } from './resolveGraphRoute.js';
import { runBatch } from './runBatch.js';
import { sendMail } from './sendMail.js';

/** One Graph host: the shared local cloud, the cloud it serves, and its throttle. */
export interface GraphHost {
  ctx: EmulatorContext;
  cloud: CloudName;
  throttle: GraphThrottle;
}

/**
 * The whole Graph pipeline for one request (HTTP or a `$batch` item): version, bearer token, route,
 * throttling, then the operation. `$batch` items come back through here, so each is authenticated,
 * throttled and counted on its own.
 */
export async function dispatchGraphRequest(host: GraphHost, request: Request): Promise<Response> {
  const { ctx, cloud } = host;
  const url = new URL(request.url);
  const ids = newRequestIds(ctx.store.now(), request.headers);
  const version = /^\/(v1\.0|beta)(\/.*)?$/i.exec(decodePath(url.pathname));
  if (!version) return graphError(ids, 400, 'BadRequest', `Invalid version: ${url.pathname.split('/')[1] ?? ''}`);

  const auth = await authenticateGraph(ctx, cloud, request.headers.get('authorization') ?? undefined);
  if (!auth.ok) {
    recordGraphRequest(ctx, undefined, { throttled: false, resourceUnits: 0 });
    return graphError(ids, 401, 'InvalidAuthenticationToken', auth.message, {
      'www-authenticate': wwwAuthenticate(ctx.endpoints.clouds[cloud]?.login),
    });
  }
  const resolution = resolveGraphRoute(version[2] ?? '/', version[1]!.toLowerCase() === 'beta' ? 'beta' : 'v1.0');
  if (!resolution.ok) return graphError(ids, 400, 'BadRequest', `Resource not found for the segment '${resolution.segment}'.`);
  if (request.method !== resolution.method)
    return graphError(ids, 405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');

  const { route } = resolution;
  const query = normalizeQuery(url.searchParams);
  const call: GraphCall = {
    ctx,
    cloud,
    method: request.method,
    path: version[2] ?? '/',
    query,
    origin: url.origin,
    headers: request.headers,
    ids,
    caller: auth.caller,
    tenant: auth.tenant,
    readBody: bodyReader(request),
    dispatch: (inner) => dispatchGraphRequest(host, inner),
  };
  if (route.kind === 'batch') return runBatch(call);

  const cost = requestCost(request.method, route, query);
  if (cost) {
    const outcome = host.throttle.take(auth.caller.appId, auth.tenant.id, cost, Date.now());
    if (!outcome.admitted) {
      recordGraphRequest(ctx, auth.tenant.id, { throttled: true, resourceUnits: 0 });
      return tooManyRequests(ids, outcome, cost.resourceUnits, ctx.behaviour.fractionalRetryAfter);
    }
  }
  const response = await runOperation(call, route);
  if (cost) response.headers.set('x-ms-resource-unit', String(cost.resourceUnits));
  recordGraphRequest(ctx, auth.tenant.id, { throttled: false, resourceUnits: cost?.resourceUnits ?? 0 });
  return response;
}

function runOperation(call: GraphCall, route: Exclude<GraphRoute, { kind: 'batch' }>): Response | Promise<Response> {
  switch (route.kind) {
    case 'list':
      return listDirectoryObjects(call, route.collection);
    case 'count':
      return countDirectoryObjects(call, route.collection);
    case 'delta':
      return directoryDelta(call, route.collection);
    case 'object':
      return getDirectoryObject(call, route.collection, route.key);
    case 'owners':
      return listOwners(call, route.collection, route.key);
    case 'addPassword':
      return addPassword(call, route.collection, route.key);
    case 'removePassword':
      return removePassword(call, route.collection, route.key);
    case 'sendMail':
      return sendMail(call, route.user);
    case 'federatedIdentityCredentials':
      return listFederatedCredentials(call, route.key);
    case 'assignedPolicies':
      return listAssignedPolicies(call, route.collection, route.key);
    case 'tenantAppManagementPolicy':
      return getTenantPolicy(call);
    case 'appManagementPolicies':
      return listAppManagementPolicies(call);
    case 'policyAppliesTo':
      return listPolicyAppliesTo(call, route.policyId);
    case 'credentialActivity':
      return listCredentialActivity(call);
  }
}

/** Graph option names are case-insensitive (`$skipToken`, `$deltaToken` appear in its docs); handlers use lower case. */
function normalizeQuery(params: URLSearchParams): URLSearchParams {
  const normalized = new URLSearchParams();
  for (const [name, value] of params) normalized.append(name.startsWith('$') ? name.toLowerCase() : name, value);
  return normalized;
}

function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

function bodyReader(request: Request): () => Promise<BodyRead> {
  let read: Promise<BodyRead> | undefined;
  return () =>
    (read ??= request.text().then((text): BodyRead => {
      if (text.trim() === '') return { ok: true, value: undefined };
      try {
        return { ok: true, value: JSON.parse(text) as unknown };
      } catch {
        return { ok: false };
      }
    }));
}
