import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { KeyVaultEnv } from './VaultScope.js';

/** The region the emulated vaults report (real vaults name their Azure region, e.g. `eastus`). */
export const keyVaultRegion = 'local';
const serviceVersion = '1.9.0.0';

/**
 * Headers every Key Vault answer carries and the SDK logs (protocol-facts §1 "Response headers"):
 * a request id, the echoed client request id, service version, region and network info.
 */
export function keyVaultHeaders(): MiddlewareHandler<KeyVaultEnv> {
  return async (c, next) => {
    await next();
    const headers = c.res.headers;
    headers.set('cache-control', 'no-cache');
    headers.set('pragma', 'no-cache');
    headers.set('expires', '-1');
    headers.set('x-ms-request-id', randomUUID());
    const clientRequestId = c.req.header('x-ms-client-request-id');
    if (clientRequestId) headers.set('x-ms-client-request-id', clientRequestId);
    headers.set('x-ms-keyvault-service-version', serviceVersion);
    headers.set('x-ms-keyvault-region', keyVaultRegion);
    headers.set('x-ms-keyvault-network-info', 'conn_type=Ipv4;addr=127.0.0.1;act_addr_fam=InterNetwork;');
    headers.set('x-content-type-options', 'nosniff');
  };
}
