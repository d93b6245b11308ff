import { authKinds, type AuthKind, type CallOptions } from './Command.js';
import { wholeNumber, type OptionValues } from './cliOptions.js';

export const DEFAULT_SCOPE = 'api://vigil/.default';

/** Where and how to call Vigil: flags first, then the environment (`VIGIL_URL`, `VIGIL_API_SCOPE`, `VIGIL_FUNCTION_KEY`, `AZURE_AUTHORITY_HOST`). */
export function toCallOptions(values: OptionValues, env: Readonly<Record<string, string | undefined>>): CallOptions | { error: string } {
  const url = values.url ?? env['VIGIL_URL'];
  if (!url) return { error: 'say where Vigil is: --url https://<app>.azurewebsites.net/api (or set VIGIL_URL)' };
  const apiUrl = toApiUrl(url, values.url === undefined ? 'VIGIL_URL' : '--url');
  if ('error' in apiUrl) return apiUrl;
  // `https://<app>.azurewebsites.net` and `…/api` both name the API: routes live under /api.
  const path = apiUrl.pathname.replace(/\/+$/, '');
  apiUrl.pathname = path.endsWith('/api') ? path : `${path}/api`;
  const auth = values.auth ?? 'auto';
  if (!authKinds.includes(auth as AuthKind)) return { error: `--auth ${auth}: give one of ${authKinds.join(', ')}` };
  const scope = values.scope ?? env['VIGIL_API_SCOPE'] ?? DEFAULT_SCOPE;
  const interval = values.interval === undefined ? 5 : wholeNumber(values.interval);
  if (interval === undefined || interval < 1) return { error: `--interval ${values.interval}: give whole seconds, at least 1` };
  return {
    apiUrl: apiUrl.toString().replace(/\/$/, ''),
    scope: toScope(scope),
    auth: auth as AuthKind,
    functionKey: values['function-key'] ?? env['VIGIL_FUNCTION_KEY'] ?? undefined,
    authorityHost: values['authority-host'] ?? env['AZURE_AUTHORITY_HOST'] ?? undefined,
    json: values.json ?? false,
    intervalSeconds: interval,
  };
}

/**
 * Vigil's URL, or what is wrong with it, saying where it came from (`--url` or VIGIL_URL) and never quoting it: a URL
 * pasted from the portal may carry the function key (`?code=…`) or a user:password, which belong in --function-key
 * and nowhere the CLI prints. Only a scheme that is not http(s) is named.
 */
function toApiUrl(url: string, from: string): URL | { error: string } {
  let apiUrl: URL;
  try {
    apiUrl = new URL(url);
  } catch {
    return { error: `${from}: not a URL; give one like https://<app>.azurewebsites.net/api` };
  }
  if (!/^https?:$/.test(apiUrl.protocol)) return { error: `${from}: give an http(s) URL, not ${apiUrl.protocol}` };
  const key = 'give the key with --function-key (or VIGIL_FUNCTION_KEY)';
  if (apiUrl.username || apiUrl.password) return { error: `${from}: the URL carries a user name or password; leave it out and ${key}` };
  if (apiUrl.search || apiUrl.hash) return { error: `${from}: the URL carries a query or fragment (?…, #…); leave it out and ${key}` };
  // A bare '?' or '#' is none, yet the URL would keep it before the routes the CLI appends.
  apiUrl.search = '';
  apiUrl.hash = '';
  return apiUrl;
}

/** An Application ID URI alone (`api://vigil`) means the API's app roles: its scope is `api://vigil/.default`. */
function toScope(scope: string): string {
  try {
    const path = new URL(scope).pathname;
    return path === '' || path === '/' ? `${scope.replace(/\/$/, '')}/.default` : scope;
  } catch {
    return scope;
  }
}
