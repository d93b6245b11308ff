import type { MiddlewareHandler } from 'hono';
import { decodeJwt } from 'jose';
import type { TokenCheck } from '../entra/AccessTokens.js';
import { forbiddenByRbac, unauthorized } from './keyVaultErrors.js';
import { keyVaultRegion } from './keyVaultHeaders.js';
import { sendFailure } from './sendJson.js';
import { toRbacAction } from './toRbacAction.js';
import type { KeyVaultEnv, VaultScope } from './VaultScope.js';

/**
 * Key Vault's bearer-token check: 401 with a challenge naming the vault tenant's authority and the
 * resource (what the SDK's challenge policy reads, protocol-facts §1), then tenant and RBAC checks.
 * Messages are the service's own: AKV10000/10022/10032 and the S2S validation codes.
 */
export function authenticate(scope: VaultScope): MiddlewareHandler<KeyVaultEnv> {
  return async (c, next) => {
    const vault = scope.vault();
    const audience = scope.audience();
    const endpoints = scope.ctx.endpoints.clouds[scope.cloud()] ?? scope.ctx.endpoints.clouds.global;
    const login = endpoints?.login ?? '';
    const challenge = `Bearer authorization="${login}/${vault.tenantId}", resource="${audience}"`;
    const header = c.req.header('authorization');
    const check = await scope.ctx.tokens.check(header, audience);
    if (!check.ok) return sendFailure(c, unauthorized(rejectionMessage(check, header, audience), challenge));

    const { claims } = check;
    if (claims.tid !== vault.tenantId) {
      const expected = `${login}/${vault.tenantId}/v2.0, https://sts.windows.net/${vault.tenantId}/`;
      return sendFailure(c, unauthorized(`AKV10032: Invalid issuer. Expected one of ${expected}, found ${claims.iss}.`, challenge));
    }
    if (!vault.allowedAppIds.includes(claims.appid)) {
      const { action, resource } = toRbacAction(c.req.method, new URL(c.req.url).pathname, vault.name);
      const denial = {
        appId: claims.appid,
        objectId: claims.oid,
        issuer: claims.iss,
        action,
        resource,
        vaultName: vault.name,
        region: keyVaultRegion,
      };
      return sendFailure(c, forbiddenByRbac(denial));
    }
    return next();
  };
}

function rejectionMessage(check: Extract<TokenCheck, { ok: false }>, header: string | undefined, audience: string): string {
  if (check.reason === 'missing' || !/^Bearer\s/i.test(header ?? '')) return 'AKV10000: Request is missing a Bearer or PoP token.';
  switch (check.reason) {
    case 'expired':
      return "[TokenExpired] Error validating token: 'S2S12086'.";
    case 'wrongAudience':
      return `AKV10022: Invalid audience. Expected ${audience}, found: ${audienceOf(header)}.`;
    default:
      return "[AggregatedAuthenticationFailure] Error validating token: 'S2S17001'.";
  }
}

function audienceOf(header: string | undefined): string {
  try {
    const aud = decodeJwt(header?.replace(/^Bearer\s+/i, '') ?? '').aud;
    return Array.isArray(aud) ? aud.join(', ') : String(aud);
  } catch {
    return 'unknown';
  }
}
