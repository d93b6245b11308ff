import type { MiddlewareHandler } from 'hono';
import { badParameter } from './keyVaultErrors.js';
import { sendFailure } from './sendJson.js';
import type { KeyVaultEnv } from './VaultScope.js';

/**
 * Data-plane versions the secrets API accepts: every stable and preview version of the Key Vault specs
 * (Azure/azure-rest-api-specs specification/keyvault/data-plane: 2015-06-01 and 2016-10-01, 7.0 to 7.6
 * with their previews, and the dated ones) up to 2025-07-01, the newest the installed SDK sends. Older
 * SDKs and other languages' SDKs still send the old ones, and the service still answers them.
 */
export const supportedApiVersions = [
  '2015-06-01',
  '2016-10-01',
  '7.0-preview',
  '7.0',
  '7.1-preview',
  '7.1',
  '7.2-preview',
  '7.2',
  '7.3-preview',
  '7.3',
  '7.4-preview.1',
  '7.4',
  '7.5-preview.1',
  '7.5',
  '7.6-preview.1',
  '7.6-preview.2',
  '7.6',
  '2025-06-01-preview',
  '2025-06-01',
  '2025-07-01',
] as const;
export const latestApiVersion = '2025-07-01';

/**
 * Parses the query once, decoding parameter names: the SDK sends `api%2Dversion` (an RFC 6570
 * expansion of `api-version`), which a name match on the raw query would miss.
 */
export function requireApiVersion(): MiddlewareHandler<KeyVaultEnv> {
  return async (c, next) => {
    const query = new URL(c.req.url).searchParams;
    const apiVersion = query.get('api-version');
    if (apiVersion === null || apiVersion === '') {
      // Wording not confirmed against the service; the code is Key Vault's for bad query parameters.
      return sendFailure(c, badParameter("The 'api-version' query parameter is missing."));
    }
    if (!(supportedApiVersions as readonly string[]).includes(apiVersion)) {
      // The service's words for a version it does not know (quoted in Azure/azure-sdk-for-python#28595).
      return sendFailure(
        c,
        badParameter(
          `The specified version (${apiVersion}) is not recognized. Consider using the latest supported version (${latestApiVersion}).`,
        ),
      );
    }
    c.set('query', query);
    c.set('apiVersion', apiVersion);
    return next();
  };
}
