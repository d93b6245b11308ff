import { decodePageToken, encodePageToken, toQueryString } from './pageTokens.js';
import { z } from 'zod';
import type { CredentialActivityRecord } from '../state/model.js';
import type { GraphCall } from './graphCall.js';
import { hasAny } from './graphPermissions.js';
import { forbidden, fromFailure, graphError, graphJson } from './graphResponses.js';
import { matchesFilter, parseFilter, parseTop, rejectOptions } from './odataQuery.js';

/** Application permissions that read the usage report (reportroot-list-appcredentialsigninactivities). */
export const usageReportPermissions = ['AuditLog.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];

const reportInfo = {
  entityType: 'microsoft.graph.appCredentialSignInActivity',
  resourceName: 'AppCredentialSignInActivity',
  properties: ['appId', 'keyId'],
  filterable: ['appId', 'keyId'],
};
const offsetToken = z.object({ k: z.literal('report'), t: z.string(), at: z.number().int().min(0) });

/**
 * `GET /beta/reports/appCredentialSignInActivities`: the last sign-in of each credential used in the
 * tenant, filtered by `appId` or `keyId` (`eq`, or `in` up to 15 values), paged with `$top`. Global cloud
 * only; needs AuditLog.Read.All and a Microsoft Entra ID P1 or P2 licence, with the errors Graph gives.
 */
export function listCredentialActivity(call: GraphCall): Response {
  const { ids, query } = call;
  if (call.cloud !== 'global')
    return graphError(ids, 400, 'BadRequest', "Resource not found for the segment 'appCredentialSignInActivities'.");
  if (!hasAny(call.caller, usageReportPermissions)) return forbidden(ids);
  if (!call.tenant.record.premiumLicense)
    return graphError(
      ids,
      403,
      'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
      "Neither tenant is B2C or tenant doesn't have premium license",
    );
  const unsupported = rejectOptions(query, ['$expand', '$search', '$count', '$skip', '$select']);
  if (unsupported) return fromFailure(ids, unsupported);
  const filter = parseFilter(query.get('$filter'), reportInfo);
  if (!filter.ok) return fromFailure(ids, filter);
  const top = parseTop(query.get('$top'));
  if (!top.ok) return fromFailure(ids, top);
  const raw = query.get('$skiptoken');
  const token = raw === null ? { k: 'report' as const, t: call.tenant.id, at: 0 } : decodePageToken(raw, offsetToken);
  if (!token || token.t !== call.tenant.id)
    return graphError(ids, 400, 'BadRequest', 'The specified page token value has expired and can no longer be included in your request.');
  const matching = call.tenant.record.credentialActivity.filter((a) => matchesFilter(a, filter.value));
  const page = matching.slice(token.at, token.at + top.value);
  const body: Record<string, unknown> = { '@odata.context': `${call.origin}/beta/$metadata#reports/appCredentialSignInActivities` };
  if (token.at + top.value < matching.length) {
    const next = encodePageToken({ ...token, at: token.at + top.value });
    const kept = [...query.entries()].filter(([name]) => name !== '$skiptoken');
    body['@odata.nextLink'] = `${call.origin}/beta/reports/appCredentialSignInActivities?${toQueryString([...kept, ['$skiptoken', next]])}`;
  }
  body['value'] = page.map(toActivityResource);
  return graphJson(ids, 200, body);
}

function toActivityResource(a: CredentialActivityRecord): Record<string, unknown> {
  return {
    id: Buffer.from(`${a.keyId}|${a.credentialOrigin}`, 'utf8').toString('base64'),
    keyId: a.keyId,
    keyType: a.keyType,
    keyUsage: a.keyType === 'certificate' ? 'verify' : 'sign',
    appId: a.appId,
    appObjectId: a.appObjectId,
    servicePrincipalObjectId: a.servicePrincipalObjectId,
    resourceId: a.resourceId,
    credentialOrigin: a.credentialOrigin,
    createdDateTime: a.createdDateTime,
    expirationDateTime: a.expirationDateTime,
    signInActivity: { lastSignInDateTime: a.lastSignInDateTime, lastSignInRequestId: a.lastSignInRequestId },
  };
}
