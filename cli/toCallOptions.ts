import { authKinds, type AuthKind, type CallOptions } from './Command.js';
import { wholeNumber, type OptionValues } from './cliOptions.js';

export const DEFAULT_SCOPE = 'api://vigil/.default';

/** Where and how to call Vigil: flags first, then the environment (`VIGIL_URL`, `VIGIL_API_SCOPE`, `VIGIL_FUNCTION_KEY`, `AZURE_AUTHORITY_HOST`). */
export function toCallOptions(values: OptionValues, env: Readonly<Record<string, string | undefined>>): CallOptions | { error: string } {
  const url = values.url ?? env['VIGIL_URL'];
  if (!url) return { error: 'say where Vigil is: --url https://<app>.azurewebsites.net/api (or set VIGIL_URL)' };
  let apiUrl: URL;
  try {
    apiUrl = new URL(url);
  } catch {
    return { error: `--url ${url}: not a URL` };
  }
  if (!/^https?:$/.test(apiUrl.protocol)) return { error: `--url ${url}: give an http(s) URL` };
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

/** An Application ID URI alone (`api://vigil`) means the API's app roles: its scope is `api://vigil/.default`. */
function toScope(scope: string): string {
  try {
    const path = new URL(scope).pathname;
    return path === '' || path === '/' ? `${scope.replace(/\/$/, '')}/.default` : scope;
  } catch {
    return scope;
  }
}
