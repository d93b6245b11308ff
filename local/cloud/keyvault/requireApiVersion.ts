import type { MiddlewareHandler } from 'hono';
import { badParameter } from './keyVaultErrors.js';
import { sendFailure } from './sendJson.js';
import type { KeyVaultEnv } from './VaultScope.js';

/** Data-plane versions the secrets API accepts: 7.0–7.6 (and 7.6's last preview, which the SDK offers) and the dated ones. */
export const supportedApiVersions = ['7.0', '7.1', '7.2', '7.3', '7.4', '7.5', '7.6-preview.2', '7.6', '2025-06-01', '2025-07-01'] as const;
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
