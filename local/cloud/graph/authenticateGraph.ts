import { resourceAudiences, type EmulatorContext } from '../EmulatorContext.js';
import type { TokenCheck } from '../entra/AccessTokens.js';
import type { CloudName } from '../state/model.js';
import type { TenantDirectory } from '../state/TenantDirectory.js';
import type { GraphCaller } from './graphCall.js';

/** Microsoft Graph's application id: Entra also issues Graph tokens with this as `aud`. */
const graphAppId = '00000003-0000-0000-c000-000000000000';

export type GraphAuthentication = { ok: true; caller: GraphCaller; tenant: TenantDirectory } | { ok: false; message: string };

/**
 * The `InvalidAuthenticationToken` messages Graph gives. Empty, audience and lifetime messages are the
 * ones real Graph sends; for a bad signature and a token of another cloud the wording is ours.
 */
const messages: Record<Exclude<TokenCheck, { ok: true }>['reason'] | 'otherCloud', string> = {
  missing: 'Access token is empty.',
  malformed: 'CompactToken parsing failed with error code: 80049217',
  invalidSignature: 'Access token validation failure.',
  expired: 'Lifetime validation failed, the token is expired.',
  wrongAudience: 'Access token validation failure. Invalid audience.',
  otherCloud: 'Access token validation failure. Invalid issuer.',
};

/**
 * Checks the bearer token as Graph does: signed by the local Entra, for this cloud's Graph audience, and
 * issued in a tenant that lives in this cloud. The tenant of the request is the token's `tid`.
 */
export async function authenticateGraph(
  ctx: EmulatorContext,
  cloud: CloudName,
  authorization: string | undefined,
): Promise<GraphAuthentication> {
  const audience = resourceAudiences[cloud].graph;
  let check = await ctx.tokens.check(authorization, audience);
  for (const alternative of [`${audience}/`, graphAppId]) {
    if (check.ok || check.reason !== 'wrongAudience') break;
    check = await ctx.tokens.check(authorization, alternative);
  }
  if (!check.ok) return { ok: false, message: messages[check.reason] };
  const { claims } = check;
  const tenant = ctx.store.directory.tenant(claims.tid);
  if (!tenant || tenant.record.cloud !== cloud) return { ok: false, message: messages.otherCloud };
  const scopes = claims.scp ? claims.scp.split(' ').filter(Boolean) : [];
  return { ok: true, tenant, caller: { appId: claims.appid, objectId: claims.oid, permissions: new Set([...claims.roles, ...scopes]) } };
}

/** The challenge Graph sends with a 401, pointing at this cloud's authority. */
export function wwwAuthenticate(loginEndpoint: string | undefined): string {
  const authority = loginEndpoint ?? 'https://login.microsoftonline.com';
  return `Bearer realm="", authorization_uri="${authority}/common/oauth2/authorize", client_id="${graphAppId}"`;
}
