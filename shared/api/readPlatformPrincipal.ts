import type { Caller } from './AccessOutcome.js';

interface PrincipalClaim {
  typ: string;
  val: string;
}

const claimTypes = {
  tenantId: ['http://schemas.microsoft.com/identity/claims/tenantid', 'tid'],
  objectId: ['http://schemas.microsoft.com/identity/claims/objectidentifier', 'oid'],
  appId: ['appid', 'azp'],
};

/**
 * The caller App Service Authentication put in `x-ms-client-principal` (base64 JSON
 * `{auth_typ, claims:[{typ,val}], name_typ, role_typ}`, protocol-facts §6). Only meaningful when the
 * platform's authentication runs in front of the app and strips the header from outside requests.
 */
export function readPlatformPrincipal(header: string | null | undefined): Caller | undefined {
  if (!header) return undefined;
  let principal: { claims?: unknown; name_typ?: unknown; role_typ?: unknown };
  try {
    principal = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as typeof principal;
  } catch {
    return undefined;
  }
  if (!Array.isArray(principal.claims)) return undefined;
  const claims = principal.claims.filter(
    (c): c is PrincipalClaim => typeof (c as PrincipalClaim)?.typ === 'string' && typeof (c as PrincipalClaim)?.val === 'string',
  );
  const first = (types: string[]) => claims.find((c) => types.includes(c.typ))?.val;
  const roleType = typeof principal.role_typ === 'string' ? principal.role_typ : 'roles';
  const nameType = typeof principal.name_typ === 'string' ? principal.name_typ : 'name';
  const tenantId = first(claimTypes.tenantId);
  const objectId = first(claimTypes.objectId);
  const appId = first(claimTypes.appId) ?? objectId;
  if (!tenantId || !objectId || !appId) return undefined;
  const roles = claims.filter((c) => c.typ === roleType || c.typ === 'roles').map((c) => c.val);
  return { appId, objectId, tenantId, name: first([nameType]) ?? appId, roles: [...new Set(roles)], via: 'platform' };
}
