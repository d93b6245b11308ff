/**
 * Hosts whose paths name only API resources (Graph objects, vault secrets, tables, queues, token
 * endpoints), so a dependency may keep its path. Any other host is a webhook or a Teams Workflow, whose
 * path or query *is* the secret (a Workflow URL's `sig=`, a Slack hook's path): only its origin is kept.
 */
const apiHost =
  /(^|\.)(graph\.microsoft\.(com|us)|dod-graph\.microsoft\.us|microsoftgraph\.chinacloudapi\.cn|login\.microsoftonline\.(com|us)|login\.partner\.microsoftonline\.cn|login\.chinacloudapi\.cn|vault\.(azure\.net|usgovcloudapi\.net|azure\.cn)|(table|queue|blob)\.core\.(windows\.net|usgovcloudapi\.net|chinacloudapi\.cn))$/i;

/**
 * A URL as it may appear in telemetry: never a query string (SAS `sig=`, codes) or credentials, and only
 * the origin of a host that is not a known API. Unparseable input becomes `redacted`.
 */
export function redactUrl(url: string): string {
  const safe = toSafeParts(url);
  return safe ? safe.origin + safe.path : 'redacted';
}

/** The `url.*` span attributes of an outgoing request, redacted as `redactUrl` says, from one parse of the URL. */
export function redactedUrlAttributes(url: string): Record<string, string> {
  const safe = toSafeParts(url);
  return { 'url.full': safe ? safe.origin + safe.path : 'redacted', 'url.path': safe?.path ?? '', 'url.query': '' };
}

/** What of a URL may be kept: its origin, and its path only on an API host (`/` elsewhere); none when it does not parse. */
function toSafeParts(url: string): { origin: string; path: string } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  return { origin: parsed.origin, path: apiHost.test(parsed.hostname) ? parsed.pathname : '/' };
}
